import { useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { FieldErrors } from "~/utils/forms";
import type { VoiceOption } from "../../core/agents/voice-catalogue";
import type { Values } from "./agent-fields";
import { KnowledgePanel, PromptPanel, ToolsPanel } from "./agent-panels";
import { AdvancedPanel, AfterCallPanel } from "./agent-panels-more";
import { Tab, TabList, TabPanel, Tabs } from "./ui/tabs";

const TABS = [
  ["prompt", "Prompt & voice"],
  ["tools", "Tools"],
  ["knowledge", "Knowledge"],
  ["after", "After the call"],
  ["advanced", "Advanced"],
] as const;
type TabId = (typeof TABS)[number][0];
const isTab = (v: string): v is TabId => TABS.some(([id]) => id === v);

/** The tab last open on each page: a save rebuilds the form (and these tabs) on the new version. */
const chosen = new Map<string, TabId>();
let hydrated = false;

function openTab(): TabId {
  const hash = window.location.hash.slice(1);
  return isTab(hash) ? hash : (chosen.get(window.location.pathname) ?? "prompt");
}

/**
 * The open tab lives in the URL's hash (docs/decisions/0050): a reload keeps it, and changing it
 * is no navigation, so no loader runs and no unsaved-changes prompt fires.
 */
function useHashTab() {
  // Hydration renders what the server did ("prompt"), then opens the hash's tab. A remount after a
  // save starts on the open tab at once, so the hash is back in the same commit as the saved data.
  const [tab, setTab] = useState<TabId>(() => (hydrated ? openTab() : "prompt"));
  const [ready, setReady] = useState(hydrated);
  const location = useLocation();
  useEffect(() => {
    hydrated = true;
    setTab(openTab());
    setReady(true);
  }, []);
  // A save is a router navigation to the page without the hash: put the hash back after it.
  useEffect(() => {
    if (location && tab !== "prompt" && window.location.hash !== `#${tab}`)
      window.history.replaceState(window.history.state, "", `#${tab}`);
  }, [location, tab]);
  const choose = (next: string) => {
    if (!isTab(next)) return;
    setTab(next);
    chosen.set(window.location.pathname, next);
    // The router keeps its own entry in history.state: keep it.
    window.history.replaceState(window.history.state, "", `#${next}`);
  };
  return [tab, choose, ready] as const;
}

export function AgentTabs({
  values,
  errors,
  knowledgeBases,
  voices,
}: {
  values: Values;
  errors?: FieldErrors | null;
  knowledgeBases: { id: string; name: string }[];
  voices?: VoiceOption[];
}) {
  const [tab, setTab, ready] = useHashTab();
  const root = useRef<HTMLDivElement>(null);
  const [withErrors, setWithErrors] = useState<string[]>([]);
  const invalid = useRef<{ round: boolean; show: HTMLElement | null }>({ round: false, show: null });

  // A refused save: mark the tabs holding errors, and open the first unless the open one has one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only new errors move the user, not their own tab changes
  useEffect(() => {
    const panels = [...(root.current?.querySelectorAll<HTMLElement>("[data-tab]") ?? [])];
    const marked = panels.filter((p) => p.querySelector(".error")).map((p) => p.dataset.tab!);
    setWithErrors(marked);
    if (marked.length && !marked.includes(tab)) setTab(marked[0]!);
  }, [errors]);

  // The browser's own check found a field in a hidden tab: open that tab, then point at the field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the new tab is shown
  useEffect(() => {
    const field = invalid.current.show;
    if (!field) return;
    invalid.current.show = null;
    field.focus();
    (field as HTMLInputElement).reportValidity?.();
  }, [tab]);

  const onInvalid = (e: React.FormEvent<HTMLDivElement>) => {
    // `invalid` fires on every bad field in order; only the first one decides.
    if (invalid.current.round) return;
    invalid.current.round = true;
    setTimeout(() => {
      invalid.current.round = false;
    });
    const field = e.target as HTMLElement;
    const panel = field.closest<HTMLElement>("[data-tab]")?.dataset.tab;
    if (panel && panel !== tab) {
      invalid.current.show = field;
      setTab(panel);
    }
  };

  return (
    // data-ready: the tabs answer the keyboard only once the page's script runs.
    <div ref={root} onInvalidCapture={onInvalid} data-testid="agent-tabs" data-ready={ready ? "yes" : "no"}>
      <Tabs value={tab} onValueChange={setTab}>
        <TabList aria-label="Agent settings">
          {TABS.map(([id, label]) => (
            // Disabled until the script runs: a click before then would do nothing, silently.
            <Tab key={id} value={id} disabled={!ready}>
              {label}
              {withErrors.includes(id) && (
                <span className="ml-1 text-danger" role="img" aria-label="has errors">
                  ●
                </span>
              )}
            </Tab>
          ))}
        </TabList>
        <TabPanel value="prompt" data-tab="prompt" keepMounted>
          <PromptPanel values={values} errors={errors} voices={voices} />
        </TabPanel>
        <TabPanel value="tools" data-tab="tools" keepMounted>
          <ToolsPanel values={values} errors={errors} />
        </TabPanel>
        <TabPanel value="knowledge" data-tab="knowledge" keepMounted>
          <KnowledgePanel values={values} errors={errors} knowledgeBases={knowledgeBases} />
        </TabPanel>
        <TabPanel value="after" data-tab="after" keepMounted>
          <AfterCallPanel values={values} errors={errors} />
        </TabPanel>
        <TabPanel value="advanced" data-tab="advanced" keepMounted>
          <AdvancedPanel values={values} errors={errors} />
        </TabPanel>
      </Tabs>
    </div>
  );
}
