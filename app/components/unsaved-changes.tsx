import { useBlocker } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "./ui/button";
import { Dialog, DialogClose, DialogContent } from "./ui/dialog";

const snapshot = (form: HTMLFormElement) =>
  JSON.stringify([...new FormData(form)].map(([k, v]) => [k, typeof v === "string" ? v : v.name]));

/**
 * Whether the form differs from how it was built: compared with a snapshot taken when it (re)mounts,
 * so undoing an edit by hand makes it clean again. `reset` changes when a save lands; the edit is
 * remembered against the `reset` it was made under, so the render that brings the saved version is
 * already clean (no window in which a click after "saved" would still be held).
 */
export function useDirty(reset: string | number) {
  const form = useRef<HTMLFormElement>(null);
  const initial = useRef("");
  const [dirtyUnder, setDirtyUnder] = useState<string | number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reset` is the trigger
  useEffect(() => {
    if (form.current) initial.current = snapshot(form.current);
  }, [reset]);
  const check = useCallback(() => {
    if (form.current) setDirtyUnder(snapshot(form.current) !== initial.current ? reset : null);
  }, [reset]);
  return { form, dirty: dirtyUnder === reset, check };
}

/**
 * While `dirty`: leaving for another page of the portal asks first, in a dialog; closing or
 * reloading the tab gets the browser's own warning. Submitting to the same page is never held.
 */
export function UnsavedChanges({ dirty }: { dirty: boolean }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  return (
    <Dialog open={blocker.state === "blocked"} onOpenChange={(open) => !open && blocker.reset?.()}>
      <DialogContent title="Leave without saving?" description="Your changes to this agent are not saved yet.">
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Stay and keep editing</Button>
          </DialogClose>
          <Button variant="danger" onClick={() => blocker.proceed?.()}>
            Leave without saving
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
