import * as ToastPrimitive from "@radix-ui/react-toast";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { cn } from "./cn";

type Tone = "ok" | "danger";
type Toast = { id: number; message: string; tone: Tone };
const ToastContext = createContext<(message: string, tone?: Tone) => void>(() => {});

/** Announces short results ("Agent saved") politely to screen readers, and shows them for 5 s. */
export function Toaster({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const notify = useCallback((message: string, tone: Tone = "ok") => {
    setToasts((all) => [...all.slice(-2), { id: Date.now() + Math.random(), message, tone }]);
  }, []);
  const remove = (id: number) => setToasts((all) => all.filter((t) => t.id !== id));
  return (
    <ToastContext.Provider value={notify}>
      <ToastPrimitive.Provider duration={5000}>
        {children}
        {toasts.map((t) => (
          <ToastPrimitive.Root
            key={t.id}
            onOpenChange={(open) => !open && remove(t.id)}
            className={cn(
              "flex items-start justify-between gap-3 rounded-lg border bg-surface p-3 text-sm shadow-lg",
              t.tone === "danger" ? "border-danger text-danger" : "border-line",
            )}
            data-testid="toast"
          >
            <ToastPrimitive.Description>{t.message}</ToastPrimitive.Description>
            <ToastPrimitive.Close
              aria-label="Dismiss"
              className="m-0 bg-transparent p-0 text-muted hover:bg-transparent"
            >
              ✕
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        ))}
        <ToastPrimitive.Viewport className="fixed right-4 bottom-4 z-50 m-0 flex w-80 max-w-[calc(100vw-2rem)] list-none flex-col gap-2 p-0" />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);

/** Shows `message` once each time `key` changes to a new value (an action's result, say). */
export function useToastOn(message: string | null | undefined, key: unknown) {
  const notify = useToast();
  const memo = useMemo(() => ({ message, key }), [message, key]);
  useEffect(() => {
    if (memo.message) notify(memo.message);
  }, [memo, notify]);
}
