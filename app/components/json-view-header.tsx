import { Button } from "./ui/button";
import { cn } from "./ui/cn";

type Builder = { view: "json" | "form"; problem: string | null; toggle: () => void };

/** A builder's heading with its one-click switch between the forms and the raw JSON, and why JSON stays. */
export function JsonViewHeader({
  title,
  subject,
  formsWord,
  builder,
  className,
}: {
  title: string;
  /** "HTTP tools": the switch reads "Show HTTP tools as JSON". */
  subject: string;
  formsWord: "forms" | "fields";
  builder: Builder;
  className?: string;
}) {
  const json = builder.view === "json";
  return (
    <>
      <div className={cn("flex items-center justify-between gap-2", className)}>
        <h3 className="m-0 text-base">{title}</h3>
        <Button
          variant="secondary"
          size="sm"
          aria-pressed={json}
          onClick={builder.toggle}
          aria-label={json ? `Show ${subject} as ${formsWord}` : `Show ${subject} as JSON`}
        >
          {json ? `Show as ${formsWord}` : "Show as JSON"}
        </Button>
      </div>
      {builder.problem && json && (
        <p className="muted" role="note">
          {builder.problem}
        </p>
      )}
    </>
  );
}
