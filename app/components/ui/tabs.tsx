import * as TabsPrimitive from "@radix-ui/react-tabs";
import { cn } from "./cn";

export const Tabs = TabsPrimitive.Root;

export function TabList({ className, ...props }: TabsPrimitive.TabsListProps) {
  return <TabsPrimitive.List className={cn("mb-4 flex flex-wrap gap-1 border-b border-line", className)} {...props} />;
}

export function Tab({ className, ...props }: TabsPrimitive.TabsTriggerProps) {
  return (
    <TabsPrimitive.Trigger
      className={cn(
        "m-0 -mb-px rounded-none border-b-2 border-transparent bg-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-muted hover:bg-transparent hover:text-fg",
        "data-[state=active]:border-primary data-[state=active]:text-fg",
        className,
      )}
      {...props}
    />
  );
}

/**
 * A panel. `keepMounted` keeps an inactive panel's fields in the page (hidden), so one form
 * spread over several tabs still submits every field.
 */
export function TabPanel({
  className,
  keepMounted,
  ...props
}: TabsPrimitive.TabsContentProps & { keepMounted?: boolean }) {
  return (
    <TabsPrimitive.Content
      forceMount={keepMounted ? true : undefined}
      className={cn("focus-visible:outline-2 focus-visible:outline-primary data-[state=inactive]:hidden", className)}
      {...props}
    />
  );
}
