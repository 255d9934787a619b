import { services } from "../services/current.server";

/** One LISTEN connection per web process for live call pages (app/services). */
export const callFeedHub = () => services().callFeed();
