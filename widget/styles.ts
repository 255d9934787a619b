/** Inside the shadow root: the host page's CSS cannot reach in, and nothing here leaks out. */
export const styles = (c: { color: string; textColor: string; position: string }) => `
:host { all: initial !important; display: block !important; }
.root { position: fixed; bottom: 20px; ${c.position === "bottom-left" ? "left" : "right"}: 20px; z-index: 2147483000;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; display: flex;
  flex-direction: column; align-items: ${c.position === "bottom-left" ? "flex-start" : "flex-end"}; gap: 8px; }
button { font: inherit; cursor: pointer; border: 0; border-radius: 999px; padding: 10px 18px; }
button:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.call { background: ${c.color}; color: ${c.textColor}; box-shadow: 0 4px 14px rgba(0,0,0,.25); font-weight: 600; }
.panel, .bubble { background: #fff; border-radius: 12px; box-shadow: 0 4px 18px rgba(0,0,0,.2); padding: 12px 14px; max-width: 280px; }
.panel[hidden], .bubble[hidden], [hidden] { display: none; }
.status { margin: 0 0 8px; font-weight: 600; }
.status[data-tone="error"] { color: #b91c1c; }
.consent { font-size: 12px; color: #444; margin: 0 0 8px; }
.row { display: flex; gap: 8px; }
.secondary { background: #e5e7eb; color: #111; }
.end { background: #dc2626; color: #fff; }
`;
