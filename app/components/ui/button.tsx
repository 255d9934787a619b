import { Slot } from "@radix-ui/react-slot";
import { forwardRef } from "react";
import { cn } from "./cn";

const variants = {
  primary: "bg-primary text-on-primary hover:bg-primary-hover",
  secondary: "border border-line-strong bg-surface text-fg hover:bg-sunken",
  danger: "bg-danger text-on-danger hover:bg-danger/90",
  ghost: "bg-transparent text-fg hover:bg-sunken",
} as const;

const sizes = { md: "px-4 py-2 text-sm", sm: "px-2.5 py-1 text-xs" } as const;

export type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: keyof typeof variants;
  size?: keyof typeof sizes;
  /** Renders its one child (a Link, an anchor) with the button's look. */
  asChild?: boolean;
};

/** Margin-free: the page's layout spaces buttons, not the button. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "primary", size = "md", asChild, className, type, ...props },
  ref,
) {
  const Component = asChild ? Slot : "button";
  return (
    <Component
      ref={ref}
      type={asChild ? undefined : (type ?? "button")}
      className={cn(
        "m-0 inline-flex cursor-pointer items-center justify-center gap-2 rounded-md font-medium no-underline hover:no-underline",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-primary disabled:cursor-not-allowed disabled:opacity-60",
        variants[variant],
        sizes[size],
        className,
      )}
      {...props}
    />
  );
});
