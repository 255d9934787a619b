import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { allowedInlineStyles } from "~/server/inline-styles";
import { Tab, TabList, TabPanel, Tabs } from "./tabs";
import { Toaster } from "./toast";

const styleAttributes = (html: string) => [...html.matchAll(/ style="([^"]*)"/g)].map((m) => m[1]);

describe("server-rendered components under the production CSP", () => {
  it("carry only the style attributes the CSP allows by hash", () => {
    const html = renderToString(
      <Toaster>
        <Tabs defaultValue="a">
          <TabList>
            <Tab value="a">A</Tab>
            <Tab value="b">B</Tab>
          </TabList>
          <TabPanel value="a" keepMounted>
            one
          </TabPanel>
          <TabPanel value="b" keepMounted>
            two
          </TabPanel>
        </Tabs>
      </Toaster>,
    );
    const found = styleAttributes(html);
    expect(found.length).toBeGreaterThan(0);
    for (const style of found) expect(allowedInlineStyles).toContain(style);
  });
});
