/**
 * The first byte of every state key names the module that owns it. Values are consensus-critical: a retired
 * prefix is commented out and never reused (a test asserts uniqueness).
 */
export const ModulePrefix = {
  auth: 0x01,
  bank: 0x02,
  oracle: 0x03,
  options: 0x04,
  subaccounts: 0x05,
  clob: 0x06,
  margin: 0x07,
  liquidation: 0x08,
} as const;
