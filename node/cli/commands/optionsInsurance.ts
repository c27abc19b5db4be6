/**
 * The insurance fund and liquidations: `vanna tx options insurance-deposit|insurance-withdraw` (withdraw: the
 * liquidation params authority only) and `vanna query options insurance|insurance-history|liquidations`.
 */
import { msgs, type LiquidationCodec } from "../../client/index.js";
import type { CommandSpec, OptionSpec } from "../command.js";
import { formatFields, formatTable } from "../output.js";
import { resolveAddress } from "../keyringFlags.js";
import { usdcText, utcOfNs, wireJson } from "./optionsFormat.js";
import { parseUsdcAmount } from "./optionsInputs.js";
import { optionsQuery } from "./optionsQueryCommon.js";
import { optionsTx } from "./optionsTxCommon.js";

const AMOUNT = { name: "AMOUNT", description: "USDC: 250usdc, 12.5usdc, or integer uusdc: 12500000uusdc" };

const insuranceDeposit = optionsTx({
  name: "insurance-deposit",
  summary: "add USDC from the key's bank balance to the insurance fund (anyone may)",
  args: [AMOUNT],
  examples: ["vanna tx options insurance-deposit alice 10000usdc"],
  prepare(ctx) {
    const amountMicroUsdc = BigInt(parseUsdcAmount(ctx.args.require("AMOUNT")).amount);
    return { build: async (sender) => [msgs.depositInsurance({ sender, amountMicroUsdc })] };
  },
});

const insuranceWithdraw = optionsTx({
  name: "insurance-withdraw",
  summary: "pay USDC out of the insurance fund (liquidation params authority only)",
  args: [AMOUNT],
  options: [{ name: "recipient", type: "string", valueName: "ADDRESS", description: "bank account to credit (default: the key's)" }],
  examples: ["vanna tx options insurance-withdraw authority 500usdc", "vanna tx options insurance-withdraw authority 500usdc --recipient bob"],
  async prepare(ctx) {
    const amountMicroUsdc = BigInt(parseUsdcAmount(ctx.args.require("AMOUNT")).amount);
    const recipientText = ctx.opts.string("recipient");
    const recipient = recipientText === undefined ? undefined : await resolveAddress(ctx, recipientText, "recipient");
    return { build: async (authority) => [msgs.withdrawInsurance({ authority, recipient: recipient ?? authority, amountMicroUsdc })] };
  },
});

const pageOptions: readonly OptionSpec[] = [
  { name: "limit", type: "int", valueName: "N", default: 100, min: 1, max: 1000, description: "at most this many" },
  { name: "offset", type: "int", valueName: "N", default: 0, min: 0, description: "skip this many (oldest first)" },
  { name: "reverse", type: "bool", description: "newest first" },
];

const pageOf = (ctx: Parameters<CommandSpec["run"]>[0]) => ({
  key: new Uint8Array(),
  offset: BigInt(ctx.opts.int("offset") ?? 0),
  limit: BigInt(ctx.opts.int("limit") ?? 100),
  countTotal: true,
  reverse: ctx.opts.bool("reverse"),
});

const insurance = optionsQuery({
  name: "insurance",
  summary: "show the insurance fund: balance, its subaccount (taken-over positions) and unpaid settlement claims",
  examples: ["vanna query options insurance"],
  prepare() {
    return async (query) => {
      const f = await query.liquidation.insuranceFund();
      return {
        json: wireJson(f),
        text: formatFields([
          ["address", f.address],
          ["balance", usdcText(f.balanceMicroUsdc)],
          ["subaccount collateral", usdcText(f.subaccountCollateralMicroUsdc)],
          ["subaccount positions", f.subaccountPositions],
          ["unpaid claims", usdcText(f.unpaidClaimsMicroUsdc)],
        ]),
      };
    };
  },
});

const insuranceHistory = optionsQuery({
  name: "insurance-history",
  summary: "list the insurance fund's movements (deposits, withdrawals, fees, takeovers, claims paid), oldest first",
  options: pageOptions,
  examples: ["vanna query options insurance-history", "vanna query options insurance-history --limit 20 --reverse"],
  prepare(ctx) {
    const page = pageOf(ctx);
    return async (query) => {
      const res = await query.liquidation.insuranceHistory(page);
      const rows = res.entries.map((e: LiquidationCodec.InsuranceEntryProto) => [String(e.id), utcOfNs(e.timeNs), String(e.height), e.kind, usdcText(e.amountMicroUsdc), usdcText(e.balanceAfterMicroUsdc), e.counterparty]);
      const text = rows.length === 0 ? "no insurance fund movements\n" : formatTable(["ID", "TIME", "HEIGHT", "KIND", "AMOUNT", "BALANCE AFTER", "COUNTERPARTY"], rows);
      return { json: { entries: wireJson(res.entries), total: String(res.pagination?.total ?? 0n) }, text };
    };
  },
});

const liquidations = optionsQuery({
  name: "liquidations",
  summary: "list liquidations (partial, takeover by the fund, deleveraging), oldest first",
  options: pageOptions,
  examples: ["vanna query options liquidations", "vanna query options liquidations --limit 50 --reverse"],
  prepare(ctx) {
    const page = pageOf(ctx);
    return async (query) => {
      const res = await query.liquidation.liquidations(page);
      const rows = res.liquidations.map((r: LiquidationCodec.LiquidationRecordProto) => [
        String(r.id),
        String(r.height),
        r.kind,
        r.subaccount,
        String(r.seriesId),
        r.sizeDeltaContracts,
        usdcText(r.cashMicroUsdc),
        usdcText(r.feeMicroUsdc),
        usdcText(r.lossMicroUsdc),
        r.counterparty,
      ]);
      const text = rows.length === 0 ? "no liquidations\n" : formatTable(["ID", "HEIGHT", "KIND", "SUBACCOUNT", "SERIES", "SIZE", "CASH", "FEE", "LOSS", "COUNTERPARTY"], rows);
      return { json: { liquidations: wireJson(res.liquidations), total: String(res.pagination?.total ?? 0n) }, text };
    };
  },
});

export const optionsInsuranceTxCommands: CommandSpec[] = [insuranceDeposit, insuranceWithdraw];
export const optionsInsuranceQueryCommands: CommandSpec[] = [insurance, insuranceHistory, liquidations];
