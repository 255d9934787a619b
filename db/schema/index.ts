export * from "./accounts";
export * from "./billing";
export * from "./rls";
export * from "./voice";
export * from "./widgets";
export * from "./telephony";
export * from "./campaigns";
export * from "./recordings";
