// CSV: quoting, formula neutralising, and exact decimal money.
import { describe, expect, it } from "vitest";

import { csvField, minorToDecimal, toCsv } from "./csv";

describe("csvField", () => {
  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvField("Spring, 2026")).toBe('"Spring, 2026"');
    expect(csvField('The "big" sale')).toBe('"The ""big"" sale"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("plain")).toBe("plain");
  });

  it("neutralises text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-12.5)).toBe("-12.5");
    expect(csvField("-0.05")).toBe("-0.05");
    expect(csvField("-1+1")).toBe("'-1+1");
  });

  it("writes null, undefined and non-finite numbers as empty fields", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });
});

describe("toCsv", () => {
  it("joins a header and rows with CRLF and a final line end", () => {
    expect(toCsv(["a", "b"], [[1, "x"], [null, "y,z"]])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});

describe("minorToDecimal", () => {
  it("places the decimal point by the currency's digits without float rounding", () => {
    expect(minorToDecimal(123456, 2)).toBe("1234.56");
    expect(minorToDecimal(5, 2)).toBe("0.05");
    expect(minorToDecimal(-5, 2)).toBe("-0.05");
    expect(minorToDecimal(9007199254740991, 2)).toBe("90071992547409.91");
    expect(minorToDecimal(1500, 0)).toBe("1500");
    expect(minorToDecimal(1234, 3)).toBe("1.234");
  });
});
