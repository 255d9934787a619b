/** Joins class names, dropping the false ones: `cn("a", on && "b")`. */
export const cn = (...names: Array<string | false | null | undefined>) => names.filter(Boolean).join(" ");
