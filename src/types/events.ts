/** Cosmos-shaped events: plain UTF-8 keys and values (CometBFT 0.38 JSON). */
export interface EventAttribute {
  key: string;
  value: string;
  index: boolean;
}

export interface Event {
  type: string;
  attributes: EventAttribute[];
}

export function event(type: string, attrs: Record<string, string>, index = true): Event {
  // Object key order of a string-keyed literal is insertion order (no integer-like keys are used here).
  return { type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index })) };
}
