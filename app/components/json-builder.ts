import { useEffect, useState } from "react";

export type Parsed<M> = { model: M } | { problem: string };

/**
 * A form builder over a JSON field: the server renders the raw JSON (it works without script);
 * once hydrated the builder takes over if it can say everything the JSON says. Both views edit
 * the same text, so switching carries every edit across (docs/decisions/0051).
 */
export function useJsonBuilder<M>(initial: string, parse: (text: string) => Parsed<M>, print: (model: M) => string) {
  const [text, setText] = useState(initial);
  const [model, setModel] = useState<M | null>(null);
  const [view, setView] = useState<"json" | "form">("json");
  const [problem, setProblem] = useState<string | null>(null);

  const toForm = (from: string) => {
    const r = parse(from);
    if ("problem" in r) {
      setProblem(r.problem);
      return;
    }
    setProblem(null);
    setModel(r.model);
    setView("form");
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on hydration
  useEffect(() => toForm(initial), []);

  return {
    text,
    view,
    problem,
    model,
    editText: setText,
    edit: (m: M) => {
      setModel(m);
      setText(print(m));
    },
    toggle: () => (view === "form" ? setView("json") : toForm(text)),
  };
}
