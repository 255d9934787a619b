import type { TestProject } from "vitest/node";
import { freshDatabase } from "../support/databases";

declare module "vitest" {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { ownerUrl, appUrl } = await freshDatabase("bvrai_it");
  project.provide("ownerUrl", ownerUrl);
  project.provide("appUrl", appUrl);
}
