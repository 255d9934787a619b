const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!);

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

export const connectStream = (url: string, params: Record<string, string>) =>
  doc(
    `<Connect><Stream url="${escapeXml(url)}">${Object.entries(params)
      .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
      .join("")}</Stream></Connect>`,
  );

export const sayAndHangUp = (text: string) => doc(`<Say>${escapeXml(text)}</Say><Hangup/>`);

export const hangUp = () => doc("<Hangup/>");
