import type { AgentTool } from "./agent-tools";
import type { AnalysisPlan } from "./analysis/plan";

export type AgentTemplate = {
  id: string;
  title: string;
  blurb: string;
  name: string;
  systemPrompt: string;
  firstMessage: string;
  tools: AgentTool[];
  analysisPlan: AnalysisPlan;
};

const endCall: AgentTool = { type: "end_call" };
const string = (description: string) => ({ type: "string", description });

/** Starting points for a new agent; every field stays editable before it is created. */
export const agentTemplates: AgentTemplate[] = [
  {
    id: "receptionist",
    title: "Receptionist",
    blurb: "Answers the phone, answers common questions and takes messages.",
    name: "Receptionist",
    systemPrompt: [
      "You are the friendly receptionist of {{business}}. Keep answers short: this is a phone call.",
      "Answer questions about opening hours, location and services when you know the answer; never invent one.",
      "If the caller wants someone who is not available, take a message: their name, number and what it is about, and read it back.",
      "When the caller has what they need, say goodbye and end the call.",
    ].join("\n"),
    firstMessage: "Hello, thanks for calling. How can I help you today?",
    tools: [endCall],
    analysisPlan: {
      dataSchema: {
        type: "object",
        properties: {
          callerName: string("The caller's name"),
          callbackNumber: string("A number to call back on"),
          message: string("The message left, if any"),
        },
      },
      successRubric: "The caller's question was answered, or a complete message (name, number, reason) was taken.",
    },
  },
  {
    id: "appointments",
    title: "Appointment booking",
    blurb: "Books, moves and cancels appointments, confirming every detail.",
    name: "Appointment booker",
    systemPrompt: [
      "You book appointments for {{business}} over the phone. Ask one question at a time.",
      "Collect: the caller's name, the service they want, and a day and time that suits them. Confirm all three before booking.",
      "If they want to move or cancel an appointment, ask for the name and the current time first.",
      "Read the final booking back, then say goodbye and end the call.",
    ].join("\n"),
    firstMessage: "Hi! I can help you book, move or cancel an appointment. What would you like to do?",
    tools: [endCall],
    analysisPlan: {
      dataSchema: {
        type: "object",
        properties: {
          name: string("The caller's name"),
          service: string("The service booked"),
          appointmentTime: string("The agreed day and time, ISO 8601 if possible"),
          action: { type: "string", enum: ["book", "move", "cancel", "none"] },
        },
      },
      successRubric: "An appointment was booked, moved or cancelled with a confirmed name, service and time.",
    },
  },
  {
    id: "lead-qualification",
    title: "Lead qualification",
    blurb: "Calls or answers leads and finds out need, budget and timeline.",
    name: "Lead qualifier",
    systemPrompt: [
      "You qualify sales leads for {{business}}. Be warm and brief; never pressure.",
      "Find out: what the caller needs, their budget range, when they want to start, and whether they decide alone.",
      "If they are a good fit, offer a call with the sales team and agree a time. If not, thank them politely.",
      "End the call once the next step is agreed.",
    ].join("\n"),
    firstMessage: "Hi, thanks for your interest! Do you have two minutes so I can understand what you're looking for?",
    tools: [endCall],
    analysisPlan: {
      dataSchema: {
        type: "object",
        properties: {
          need: string("What they want"),
          budget: string("Their budget range"),
          timeline: string("When they want to start"),
          decisionMaker: { type: "boolean", description: "Whether they decide alone" },
        },
      },
      successRubric:
        "Need, budget and timeline were learned, and a follow-up with sales was agreed or the lead was politely declined.",
    },
  },
  {
    id: "support-triage",
    title: "Support triage",
    blurb: "Understands the problem, solves simple cases and routes the rest.",
    name: "Support triage",
    systemPrompt: [
      "You are the first line of support for {{business}}. Stay calm and kind.",
      "Ask for the caller's name and account email, then what went wrong and since when.",
      "Solve simple problems step by step. For anything else, say a specialist will follow up, and summarise the problem back.",
      "Classify the urgency as low, normal or urgent before you end the call.",
    ].join("\n"),
    firstMessage: "Hello, you've reached support. What can I help you with?",
    tools: [endCall],
    analysisPlan: {
      dataSchema: {
        type: "object",
        properties: {
          accountEmail: string("The caller's account email"),
          problem: string("The problem in one sentence"),
          urgency: { type: "string", enum: ["low", "normal", "urgent"] },
          solvedOnCall: { type: "boolean" },
        },
      },
      successRubric: "The problem was solved on the call, or it was clearly captured with its urgency for a follow-up.",
    },
  },
];

export const agentTemplate = (id: string | null | undefined) => agentTemplates.find((t) => t.id === id) ?? null;
