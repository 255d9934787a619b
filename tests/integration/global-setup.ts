import type { TestProject } from "vitest/node";
import { freshDatabase } from "../support/databases";

declare module "vitest" {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { ownerUrl, appUrl } = await freshDatabase(process.env.BVRAI_IT_DATABASE ?? "bvrai_it"); // a name of its own lets two checkouts run the suite at once
  project.provide("ownerUrl", ownerUrl);
  project.provide("appUrl", appUrl);
}
