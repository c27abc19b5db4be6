/**
 * The dev accounts every local chain funds: the well-known test mnemonic at m/44'/118'/0'/0/0..9.
 * Never use this mnemonic for anything of value.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { makeCosmoshubPath } from "@cosmjs/amino";

export const DEV_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
export const DEV_ACCOUNT_COUNT = 10;
export const DEV_USDC_MICRO = 1_000_000_000_000n;
export const DEV_VANNA_MICRO = 1_000_000_000n;

export interface DevAccount {
  index: number;
  hdPath: string;
  address: string;
}

export async function devAccounts(count = DEV_ACCOUNT_COUNT): Promise<DevAccount[]> {
  const paths = Array.from({ length: count }, (_, i) => makeCosmoshubPath(i));
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: paths });
  const accounts = await wallet.getAccounts();
  return accounts.map((a, index) => ({ index, hdPath: `m/44'/118'/0'/0/${index}`, address: a.address }));
}
