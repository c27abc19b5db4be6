/**
 * The first byte of every state key names the module that owns it. Values are consensus-critical: a retired
 * prefix is commented out and never reused (a test asserts uniqueness).
 */
export const ModulePrefix = {
  auth: 0x01,
  bank: 0x02,
  oracle: 0x03,
  subaccounts: 0x05,
  // 0x04 options, 0x06 clob, 0x07 margin, 0x08 liquidation: reserved.
} as const;
