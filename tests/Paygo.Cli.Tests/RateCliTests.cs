using System.Globalization;
using Paygo.Rating.Files;

namespace Paygo.Cli.Tests;

/// <summary>
/// <c>paygo rate</c> over the files in samples/rating: no server, no database. The output is
/// the 55-column daily rated usage file with the price columns filled and the rest passed
/// through; a file with a row that cannot be rated writes nothing and exits 1.
/// </summary>
public sealed class RateCliTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("paygo-rate-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static readonly string[] FilledColumns =
        ["UnitPrice", "EffectiveUnitPrice", "PricingPreTaxTotal", "BillingPreTaxTotal", "PCToBCExchangeRate", "PCToBCExchangeRateDate", "PartnerEarnedCreditPercentage", "BillingCurrency", "PricingCurrency"];

    private static string Sample(string path) => Path.Combine(Root(), "samples", path);

    [Fact]
    public async Task Rate_Samples_WritesTheDailyFileWithPricesAndEvidence()
    {
        var daily = Path.Combine(_scratch, "daily.csv");
        var evidence = Path.Combine(_scratch, "evidence.csv");

        var (exit, output, error) = await CliRunner.RunAsync(null, "rate", "--prices", Sample("pricelist-us-202611.csv"), "--usage", Sample("rating/usage-202611.csv"),
            "--access", Sample("rating/access.csv"), "--fx", Sample("fxrates-202611.csv"), "--currency", "EUR", "--month", "2026-11", "--out", daily, "--evidence", evidence);

        Assert.True(exit == 0, error);
        Assert.Contains("PEC rows earned", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(daily, TestContext.Current.CancellationToken);
        Assert.Equal(string.Join(',', DailyRatedUsageFile.Table.Header), lines[0]);
        var input = await File.ReadAllLinesAsync(Sample("rating/usage-202611.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(input.Length, lines.Length);
        var header = DailyRatedUsageFile.Table;
        var rows = lines.Skip(1).Select(l => Fields(l)).ToList();
        var inputRows = input.Skip(1).Select(l => Fields(l)).ToList();

        // Contoso's VM on 9 November: 24 h at 0.096 with PEC, in EUR at 1 / 1.0812 (9 decimals).
        var first = rows[0];
        Assert.Equal("0.096", first[header.IndexOf("UnitPrice")]);
        Assert.Equal(0.0816m, decimal.Parse(first[header.IndexOf("EffectiveUnitPrice")], CultureInfo.InvariantCulture));
        Assert.Equal(1.9584m, decimal.Parse(first[header.IndexOf("PricingPreTaxTotal")], CultureInfo.InvariantCulture));
        Assert.Equal(1.9584m * 0.924898261m, decimal.Parse(first[header.IndexOf("BillingPreTaxTotal")], CultureInfo.InvariantCulture));
        Assert.Equal("0.924898261", first[header.IndexOf("PCToBCExchangeRate")]);
        Assert.Equal("11/1/2026 12:00:00 AM", first[header.IndexOf("PCToBCExchangeRateDate")]);
        Assert.Equal(["EUR", "USD", "15"], [first[header.IndexOf("BillingCurrency")], first[header.IndexOf("PricingCurrency")], first[header.IndexOf("PartnerEarnedCreditPercentage")]]);

        // Fabrikam loses AOBO at noon on 10 November: no PEC that day, nor after.
        Assert.Equal(["15", "0", "0"], rows.Where((_, i) => i is 1 or 3 or 5).Select(r => r[header.IndexOf("PartnerEarnedCreditPercentage")]));

        // Every column but the price ones is passed through as written, the date formats too.
        var filled = FilledColumns.Select(header.IndexOf).ToHashSet();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < header.Count; c++)
            {
                if (!filled.Contains(c))
                {
                    Assert.Equal(inputRows[r][c], rows[r][c]);
                }
            }
        }

        var evidenceLines = await File.ReadAllLinesAsync(evidence, TestContext.Current.CancellationToken);
        Assert.Equal(input.Length, evidenceLines.Length);
        Assert.Contains("aobo-contoso", evidenceLines[1], StringComparison.Ordinal);
        Assert.Contains("PartialDay", evidenceLines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_RowsItCannotRate_WritesNothingAndNamesEachRowAndColumn()
    {
        var usage = Path.Combine(_scratch, "usage.csv");
        var lines = await File.ReadAllLinesAsync(Sample("rating/usage-202611.csv"), TestContext.Current.CancellationToken);
        var quantity = DailyRatedUsageFile.Table.IndexOf("Quantity");
        var date = DailyRatedUsageFile.Table.IndexOf("UsageDate");
        var broken = lines.Select((line, i) => i switch
        {
            2 => Replace(line, quantity, "-4"),
            3 => Replace(line, date, "2026-12-01"),
            _ => line,
        });
        await File.WriteAllLinesAsync(usage, broken, TestContext.Current.CancellationToken);
        var daily = Path.Combine(_scratch, "daily.csv");

        var (exit, _, error) = await CliRunner.RunAsync(null, "rate", "--prices", Sample("pricelist-us-202611.csv"), "--usage", usage,
            "--access", Sample("rating/access.csv"), "--fx", Sample("fxrates-202611.csv"), "--currency", "EUR", "--month", "2026-11", "--out", daily);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(daily));
        Assert.Contains("2 problem(s)", error, StringComparison.Ordinal);
        Assert.Contains("row 3, column Quantity ('-4')", error, StringComparison.Ordinal);
        Assert.Contains("row 4, column UsageDate ('2026-12-01'): UsageDate is outside the rated month 2026-11", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_Threads_OneOrThreeWriteTheSameFileAndZeroIsRefused()
    {
        string[] Args(string output, string threads) =>
            ["rate", "--prices", Sample("pricelist-us-202611.csv"), "--usage", Sample("rating/usage-202611.csv"), "--access", Sample("rating/access.csv"),
             "--fx", Sample("fxrates-202611.csv"), "--currency", "EUR", "--month", "2026-11", "--out", output, "--threads", threads];
        var one = Path.Combine(_scratch, "one.csv");
        var three = Path.Combine(_scratch, "three.csv");

        var (exitOne, _, errorOne) = await CliRunner.RunAsync(null, Args(one, "1"));
        var (exitThree, _, errorThree) = await CliRunner.RunAsync(null, Args(three, "3"));
        var (exitZero, _, errorZero) = await CliRunner.RunAsync(null, Args(Path.Combine(_scratch, "zero.csv"), "0"));

        Assert.True(exitOne == 0, errorOne);
        Assert.True(exitThree == 0, errorThree);
        Assert.Equal(await File.ReadAllBytesAsync(one, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(three, TestContext.Current.CancellationToken));
        Assert.Equal(1, exitZero);
        Assert.Contains("--threads", errorZero, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch, "zero.csv")));
    }

    [Fact]
    public async Task Rate_Help_ListsFlagsAndExitCodes()
    {
        var (exit, output, _) = await CliRunner.RunAsync(null, "rate", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--evidence", output, StringComparison.Ordinal);
        Assert.Contains("--threads", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0", output, StringComparison.Ordinal);
    }

    // The sample files quote only fields with commas; enough CSV for these assertions.
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static string Replace(string line, int index, string value)
    {
        var fields = Fields(line);
        fields[index] = value;
        return string.Join(',', fields);
    }

    internal static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }
}
