/** The app_state of a local chain's genesis: funded accounts and the two denoms' metadata. */
import { DEV_USDC_MICRO, DEV_VANNA_MICRO } from "./devAccounts.js";

export interface FundedAccount {
  address: string;
  uusdc: bigint;
  uvanna: bigint;
}

const DENOM_METADATA = [
  {
    description: "USD Coin: the collateral and quote asset of every Vanna market",
    denom_units: [
      { denom: "uusdc", exponent: 0, aliases: ["microusdc"] },
      { denom: "usdc", exponent: 6, aliases: [] },
    ],
    base: "uusdc",
    display: "usdc",
    name: "USD Coin",
    symbol: "USDC",
  },
  {
    description: "The staking and gas token of Vanna",
    denom_units: [
      { denom: "uvanna", exponent: 0, aliases: ["microvanna"] },
      { denom: "vanna", exponent: 6, aliases: [] },
    ],
    base: "uvanna",
    display: "vanna",
    name: "Vanna",
    symbol: "VANNA",
  },
];

export function buildAppState(accounts: readonly FundedAccount[]): Record<string, unknown> {
  return {
    auth: {
      accounts: accounts.map((a, i) => ({
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: a.address,
        pub_key: null,
        account_number: String(i),
        sequence: "0",
      })),
    },
    bank: {
      params: { send_enabled: [], default_send_enabled: true },
      balances: accounts.map((a) => ({
        address: a.address,
        coins: [
          { denom: "uusdc", amount: a.uusdc.toString() },
          { denom: "uvanna", amount: a.uvanna.toString() },
        ].filter((c) => c.amount !== "0"),
      })),
      supply: [],
      denom_metadata: DENOM_METADATA,
    },
    // The first funded account is the authority on local chains: it lists and delists option series and may
    // withdraw from the insurance fund (other params: the defaults).
    ...(accounts.length > 0
      ? { options: { params: { authority: accounts[0]!.address } }, liquidation: { params: { authority: accounts[0]!.address } } }
      : {}),
  };
}

export function devFunding(addresses: readonly string[]): FundedAccount[] {
  return addresses.map((address) => ({ address, uusdc: DEV_USDC_MICRO, uvanna: DEV_VANNA_MICRO }));
}
