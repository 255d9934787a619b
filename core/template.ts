/**
 * Fills `{{name}}` placeholders from a call's variables. An unknown name is left as written, so a
 * prompt never silently loses a word; names are letters, digits and underscores.
 */
export const fillTemplate = (text: string, variables: Record<string, string>) =>
  text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(variables, name) ? variables[name]! : whole,
  );
