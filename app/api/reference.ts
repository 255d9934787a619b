/**
 * The API's interactive reference (`/api/v1/reference`): every operation from the OpenAPI
 * document with its parameters and schemas, and a form that sends a real request with the key
 * you paste (kept in this tab only). Served by the origin with its own files, so the portal's
 * strict CSP holds: the script carries the response's nonce, the styles are a same-origin file.
 */
export const referenceHtml = (nonce: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BVRAI API reference</title>
<link rel="stylesheet" href="/api/v1/reference.css">
<link rel="icon" href="data:,">
</head>
<body>
<header><h1>BVRAI API reference</h1>
<p>Base URL <code id="base"></code>. Authenticate with <code>Authorization: Bearer bv_live_…</code> (Settings → API keys). <a href="/api/v1/openapi.json">OpenAPI 3.1 document</a></p>
<label>API key for “Send” <input id="key" type="password" autocomplete="off" placeholder="bv_live_…"></label>
</header>
<nav id="toc" aria-label="Operations"></nav>
<main id="ops" aria-live="polite">Loading…</main>
<script nonce="${nonce}" src="/api/v1/reference.js"></script>
</body>
</html>`;

export const referenceCss = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:18rem 1fr;grid-template-rows:auto 1fr;color:#111}
header{grid-column:1/3;padding:1rem 1.5rem;border-bottom:1px solid #ddd}
nav{padding:1rem;border-right:1px solid #ddd;overflow:auto}nav a{display:block;text-decoration:none;color:#333;font-size:.9rem;padding:.15rem 0}
main{padding:1rem 1.5rem;overflow:auto}section{border:1px solid #ddd;border-radius:6px;margin:0 0 1rem;padding:.75rem 1rem}
.m{display:inline-block;min-width:4rem;font-weight:600;text-transform:uppercase}.get{color:#0a7}.post{color:#36c}.patch,.put{color:#c80}.delete{color:#c33}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:20rem}textarea{width:100%;min-height:6rem;font-family:monospace}
input{font:inherit}label{display:block;margin:.25rem 0}button{font:inherit;padding:.25rem .75rem}
`;

export const referenceJs = `(async () => {
  const base = location.pathname.replace(/\\/reference$/, "");
  document.getElementById("base").textContent = location.origin + base;
  const doc = await (await fetch(base + "/openapi.json")).json();
  const ops = document.getElementById("ops");
  const toc = document.getElementById("toc");
  ops.textContent = "";
  const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
  const resolve = (s) => (s && s.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s);
  Object.entries(doc.paths).forEach(([path, item], i) => Object.entries(item).forEach(([method, op], j) => {
    const id = "op-" + i + "-" + j;
    toc.append(el("a", { href: "#" + id }, el("span", { className: "m " + method, textContent: method }), path));
    const params = (op.parameters || []);
    const body = op.requestBody && resolve(op.requestBody.content["application/json"].schema);
    const inputs = params.map((p) => { const input = el("input", { name: p.name, placeholder: p.in + (p.required ? ", required" : "") }); return [p, el("label", {}, p.name + " ", input), input]; });
    const bodyInput = body ? el("textarea", { value: JSON.stringify(Object.fromEntries(Object.entries(body.properties || {}).filter(([k]) => (body.required || []).includes(k)).map(([k, v]) => [k, v.example ?? v.default ?? (v.type === "array" ? [] : v.type === "number" || v.type === "integer" ? 0 : "")])), null, 2) }) : null;
    const out = el("pre", { hidden: true });
    const send = el("button", { type: "button", textContent: "Send" });
    send.addEventListener("click", async () => {
      let url = base + path;
      const query = new URLSearchParams();
      for (const [p, , input] of inputs) if (input.value) p.in === "path" ? (url = url.replace("{" + p.name + "}", encodeURIComponent(input.value))) : query.set(p.name, input.value);
      if ([...query].length) url += "?" + query;
      const headers = { authorization: "Bearer " + document.getElementById("key").value };
      if (bodyInput) headers["content-type"] = "application/json";
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: bodyInput ? bodyInput.value : undefined });
      const text = await res.text();
      let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.hidden = false;
      out.textContent = res.status + " " + res.statusText + "\\n\\n" + shown;
    });
    const responses = Object.entries(op.responses || {}).map(([code, r]) => el("li", {}, code + " " + (r.description || "")));
    ops.append(el("section", { id }, el("h2", {}, el("span", { className: "m " + method, textContent: method }), " " + path),
      el("p", { textContent: op.summary || "" }), ...inputs.map(([, label]) => label),
      ...(body ? [el("h3", { textContent: "Body" }), el("pre", { textContent: JSON.stringify(body, null, 2) }), bodyInput] : []),
      el("h3", { textContent: "Responses" }), el("ul", {}, ...responses), send, out));
  }));
})();`;
