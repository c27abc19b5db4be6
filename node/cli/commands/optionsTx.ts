/**
 * `vanna tx options …` for collateral (deposit, withdraw, transfer), listing (list-series, delist-series: the
 * options authority only), order-book housekeeping (cancel-all, set-mmp, reset-mmp) and the margin mode
 * (set-margin-mode). Orders themselves are in
 * optionsTxOrders.ts.
 */
import { msgs, parseUsd } from "../../client/index.js";
import { UsageError, type CommandSpec, type OptionSpec } from "../command.js";
import { resolveAddress } from "../keyringFlags.js";
import { MAX_SUBACCOUNT_NUMBER, parseDuration, parseExpiryArg, parseSeriesRef, parseUint, parseUsdcAmount, parseSymbol, resolveSeries, subaccountOption, usage } from "./optionsInputs.js";
import { optionsTx } from "./optionsTxCommon.js";

const AMOUNT = { name: "AMOUNT", description: "USDC: 250usdc, 12.5usdc, or integer uusdc: 12500000uusdc" };
const UNDERLYING = { name: "UNDERLYING", description: "underlying symbol, e.g. BTC" };
const subNumber = (n: number | undefined): number => n ?? 0;

const deposit = optionsTx({
  name: "deposit",
  summary: "move USDC from the key's bank balance into a subaccount (trading collateral)",
  args: [AMOUNT],
  options: [subaccountOption],
  examples: ["vanna tx options deposit alice 1000usdc", "vanna tx options deposit alice 2500000uusdc --subaccount 1"],
  prepare(ctx) {
    const amount = parseUsdcAmount(ctx.args.require("AMOUNT"));
    const subaccountNumber = subNumber(ctx.opts.int("subaccount"));
    return { build: async (sender) => [msgs.deposit({ sender, subaccountNumber, amount })] };
  },
});

const withdraw = optionsTx({
  name: "withdraw",
  summary: "move USDC from a subaccount back to a bank account (the key's, or --recipient)",
  args: [AMOUNT],
  options: [subaccountOption, { name: "recipient", type: "string", valueName: "ADDRESS", description: "bank account to credit (default: the key's)" }],
  examples: ["vanna tx options withdraw alice 100usdc", "vanna tx options withdraw alice 5usdc --subaccount 2 --recipient bob"],
  async prepare(ctx) {
    const amount = parseUsdcAmount(ctx.args.require("AMOUNT"));
    const subaccountNumber = subNumber(ctx.opts.int("subaccount"));
    const recipientText = ctx.opts.string("recipient");
    const recipient = recipientText === undefined ? "" : await resolveAddress(ctx, recipientText, "recipient");
    return { build: async (sender) => [msgs.withdraw({ sender, subaccountNumber, amount, recipient })] };
  },
});

const subNumberOption = (name: string, description: string): OptionSpec => ({ name, type: "int", valueName: "N", required: true, min: 0, max: MAX_SUBACCOUNT_NUMBER, description });

const transfer = optionsTx({
  name: "transfer",
  summary: "move USDC between two subaccounts of the key",
  args: [AMOUNT],
  options: [subNumberOption("from-subaccount", "subaccount to debit"), subNumberOption("to-subaccount", "subaccount to credit")],
  examples: ["vanna tx options transfer alice 50usdc --from-subaccount 0 --to-subaccount 1"],
  prepare(ctx) {
    const amount = parseUsdcAmount(ctx.args.require("AMOUNT"));
    const fromNumber = subNumber(ctx.opts.int("from-subaccount"));
    const toNumber = subNumber(ctx.opts.int("to-subaccount"));
    if (fromNumber === toNumber) throw new UsageError("--from-subaccount and --to-subaccount must differ");
    return { build: async (sender) => [msgs.transfer({ sender, fromNumber, toNumber, amount })] };
  },
});

const listSeries = optionsTx({
  name: "list-series",
  summary: "list a new option series (options authority only)",
  description: "EXPIRY is a date (08:00 UTC that day: 2026-01-30 or 20260130) or Unix seconds; STRIKE is in USD.",
  args: [UNDERLYING, { name: "EXPIRY", description: "expiry date (YYYY-MM-DD) or Unix seconds" }, { name: "STRIKE", description: "strike in USD, e.g. 100000 or 2450.5" }, { name: "KIND", description: "call or put" }],
  examples: ["vanna tx options list-series authority BTC 2026-01-30 100000 call"],
  prepare(ctx) {
    const underlying = parseSymbol(ctx.args.require("UNDERLYING"));
    const expiryUnixS = parseExpiryArg(ctx.args.require("EXPIRY"));
    const strikeMicroUsd = usage(() => parseUsd(ctx.args.require("STRIKE"), "strike"));
    if (strikeMicroUsd === 0n) throw new UsageError("strike must be positive");
    const kindText = ctx.args.require("KIND").toLowerCase();
    if (kindText !== "call" && kindText !== "put") throw new UsageError(`invalid KIND "${kindText}": expected call or put`);
    const kind: "call" | "put" = kindText;
    return { build: async (authority) => [msgs.listSeries({ authority, underlying, expiryUnixS, strikeMicroUsd, kind })] };
  },
});

const delistSeries = optionsTx({
  name: "delist-series",
  summary: "move a series to close-only and cancel its resting orders (options authority only)",
  args: [{ name: "SERIES", description: "series id or name (BTC-20260130-100000-C)" }],
  examples: ["vanna tx options delist-series authority 12", "vanna tx options delist-series authority BTC-20260130-100000-C"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    return { build: async (authority, query) => [msgs.delistSeries({ authority, seriesId: "id" in ref ? ref.id : (await resolveSeries(query, ref)).id })] };
  },
});

const cancelAll = optionsTx({
  name: "cancel-all",
  summary: "cancel every open order of a subaccount (narrowed by --underlying, --expiry, --series)",
  options: [
    subaccountOption,
    { name: "underlying", type: "string", valueName: "SYMBOL", description: "only orders on this underlying" },
    { name: "expiry", type: "string", valueName: "DATE", description: "only orders on series of this expiry (YYYY-MM-DD or Unix seconds)" },
    { name: "series", type: "string", valueName: "SERIES", description: "only orders on this series (id or name)" },
  ],
  examples: ["vanna tx options cancel-all alice", "vanna tx options cancel-all alice --underlying BTC --expiry 2026-01-30"],
  prepare(ctx) {
    const subaccountNumber = subNumber(ctx.opts.int("subaccount"));
    const underlyingText = ctx.opts.string("underlying");
    const underlying = underlyingText === undefined ? "" : parseSymbol(underlyingText);
    const expiryText = ctx.opts.string("expiry");
    const expiryUnixS = expiryText === undefined ? 0n : parseExpiryArg(expiryText);
    const seriesText = ctx.opts.string("series");
    const ref = seriesText === undefined ? undefined : parseSeriesRef(seriesText);
    return {
      build: async (owner, query) => {
        const seriesId = ref === undefined ? 0n : "id" in ref ? ref.id : (await resolveSeries(query, ref)).id;
        return [msgs.cancelAll({ owner, subaccountNumber, underlying, expiryUnixS, seriesId })];
      },
    };
  },
});

const setMmp = optionsTx({
  name: "set-mmp",
  summary: "configure market maker protection of a subaccount on an underlying",
  description:
    "When maker fills within --window exceed a limit (contracts, |net delta|, |net vega|), the subaccount's\n" +
    "orders on the underlying are cancelled and new ones refused for --freeze (0: until reset-mmp).\n" +
    "A limit of 0 is off.",
  args: [UNDERLYING],
  options: [
    subaccountOption,
    { name: "window", type: "string", valueName: "DURATION", required: true, description: "rolling window, e.g. 10s, 500ms, 1m" },
    { name: "max-contracts", type: "string", valueName: "N", default: "0", description: "contracts filled in the window" },
    { name: "max-delta", type: "string", valueName: "MICRO_UNITS", default: "0", description: "|net delta| in micro-units of the underlying" },
    { name: "max-vega", type: "string", valueName: "UUSDC", default: "0", description: "|net vega| in uusdc per vol point" },
    { name: "freeze", type: "string", valueName: "DURATION", default: "0", description: "how long a trigger freezes quoting (0: until reset-mmp)" },
  ],
  examples: ["vanna tx options set-mmp mm BTC --window 10s --max-contracts 500 --freeze 30s"],
  prepare(ctx) {
    const underlying = parseSymbol(ctx.args.require("UNDERLYING"));
    const m = {
      subaccountNumber: subNumber(ctx.opts.int("subaccount")),
      underlying,
      windowNs: parseDuration(ctx.opts.requireString("window"), "--window"),
      maxContracts: parseUint(ctx.opts.requireString("max-contracts"), "--max-contracts"),
      maxDeltaMicroUnits: parseUint(ctx.opts.requireString("max-delta"), "--max-delta"),
      maxVegaMicroUsdc: parseUint(ctx.opts.requireString("max-vega"), "--max-vega"),
      freezeNs: parseDuration(ctx.opts.requireString("freeze"), "--freeze"),
    };
    if (m.windowNs === 0n) throw new UsageError("--window must be positive");
    return { build: async (owner) => [msgs.setMmp({ owner, ...m })] };
  },
});

const resetMmp = optionsTx({
  name: "reset-mmp",
  summary: "unfreeze market maker protection of a subaccount on an underlying",
  args: [UNDERLYING],
  options: [subaccountOption],
  examples: ["vanna tx options reset-mmp mm BTC"],
  prepare(ctx) {
    const underlying = parseSymbol(ctx.args.require("UNDERLYING"));
    const subaccountNumber = subNumber(ctx.opts.int("subaccount"));
    return { build: async (owner) => [msgs.resetMmp({ owner, subaccountNumber, underlying })] };
  },
});

const setMarginMode = optionsTx({
  name: "set-margin-mode",
  summary: "choose a subaccount's risk model: standard (per position) or portfolio (scenario based)",
  description: "Refused, with nothing changed, when the subaccount's equity does not cover the new mode's initial\nmargin (positions and open orders at worst case) or some series it holds has no price.",
  args: [{ name: "MODE", description: "standard or portfolio" }],
  options: [subaccountOption],
  examples: ["vanna tx options set-margin-mode alice portfolio", "vanna tx options set-margin-mode mm standard --subaccount 1"],
  prepare(ctx) {
    const mode = ctx.args.require("MODE").toLowerCase();
    if (mode !== "standard" && mode !== "portfolio") throw new UsageError(`invalid MODE "${mode.slice(0, 40)}": expected standard or portfolio`);
    const subaccountNumber = subNumber(ctx.opts.int("subaccount"));
    return { build: async (owner) => [msgs.setMarginMode({ owner, subaccountNumber, mode })] };
  },
});

export const optionsAccountTxCommands: CommandSpec[] = [deposit, withdraw, transfer, listSeries, delistSeries, cancelAll, setMmp, resetMmp, setMarginMode];
