using System.Globalization;
using Paygo.Rating.Files;
using Paygo.Rating.Reconcile;

namespace Paygo.Cli.Tests;

/// <summary>
/// <c>paygo reconcile</c> (issue 13 point 6, docs/adr/0038): file mode, no server. Paygo's daily
/// file (rated from samples/rating by <c>paygo rate</c>) against itself and against a copy playing
/// Microsoft's file with known differences; exit 0 equal, 2 different, 1 bad input.
/// </summary>
public sealed class ReconcileCliTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("paygo-reconcile-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Sample(string path) => Path.Combine(RateCliTests.Root(), "samples", path);

    private async Task<string> RateSampleAsync()
    {
        var daily = Path.Combine(_scratch, "paygo-daily.csv");
        var (exit, _, error) = await CliRunner.RunAsync(null, "rate", "--prices", Sample("pricelist-us-202611.csv"), "--usage", Sample("rating/usage-202611.csv"),
            "--access", Sample("rating/access.csv"), "--fx", Sample("fxrates-202611.csv"), "--currency", "EUR", "--month", "2026-11", "--out", daily, "--no-progress");
        Assert.True(exit == 0, error);
        return daily;
    }

    [Fact]
    public async Task SameFile_ExitsZero()
    {
        var daily = await RateSampleAsync();

        var (exit, output, error) = await CliRunner.RunAsync(null, "reconcile", "--expected", daily, "--actual", daily);

        Assert.True(exit == 0, error);
        Assert.Contains("agree on every key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Differences_ExitTwo_ReportPerCustomerAndMeter_AndWriteEveryDifferingKey()
    {
        var daily = await RateSampleAsync();
        var lines = await File.ReadAllLinesAsync(daily, TestContext.Current.CancellationToken);
        var table = DailyRatedUsageFile.Table;
        var pec = table.IndexOf("PartnerEarnedCreditPercentage");
        var usageDate = table.IndexOf("UsageDate");

        // Microsoft's file: row 2 without PEC, row 3 left out, and every date in Microsoft's own format.
        var microsoft = lines.Select((line, i) => i == 0 ? line : Replace(line, usageDate, MicrosoftDate(Fields(line)[usageDate])))
            .Select((line, i) => i == 1 ? Replace(line, pec, "0") : line)
            .Where((_, i) => i != 2)
            .ToList();
        var expected = Path.Combine(_scratch, "microsoft-daily.csv");
        await File.WriteAllLinesAsync(expected, microsoft, TestContext.Current.CancellationToken);
        var differences = Path.Combine(_scratch, "differences.csv");

        var (exit, output, error) = await CliRunner.RunAsync(null, "reconcile", "--expected", expected, "--actual", daily, "--out", differences);

        Assert.True(exit == 2, error + output);
        Assert.Contains("pec 1", output, StringComparison.Ordinal);
        Assert.Contains("missingInExpected 1", output, StringComparison.Ordinal);
        Assert.Contains("Total", output, StringComparison.Ordinal);
        var written = await File.ReadAllLinesAsync(differences, TestContext.Current.CancellationToken);
        Assert.Equal(string.Join(',', DifferencesFile.Header), written[0]);
        Assert.Equal(3, written.Length);
        var reason = DifferencesFile.Header.ToList().IndexOf("Reason");
        Assert.Equal(["missingInExpected", "pec"], written.Skip(1).Select(l => Fields(l)[reason]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BadInput_ExitsOne_NamingFileRowAndColumn()
    {
        var daily = await RateSampleAsync();
        var lines = await File.ReadAllLinesAsync(daily, TestContext.Current.CancellationToken);
        lines[3] = Replace(lines[3], DailyRatedUsageFile.Table.IndexOf("Quantity"), "lots");
        var broken = Path.Combine(_scratch, "broken.csv");
        await File.WriteAllLinesAsync(broken, lines, TestContext.Current.CancellationToken);

        var (exit, _, error) = await CliRunner.RunAsync(null, "reconcile", "--expected", broken, "--actual", daily);

        Assert.Equal(1, exit);
        Assert.Contains("broken.csv row 4, column Quantity ('lots')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodes()
    {
        var (exit, output, _) = await CliRunner.RunAsync(null, "reconcile", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Exit codes: 0 the files agree; 2 they differ", output, StringComparison.Ordinal);
        Assert.Contains("--expected", output, StringComparison.Ordinal);
    }

    private static string MicrosoftDate(string iso) =>
        DateOnly.ParseExact(iso, ["yyyy-MM-dd", "M/d/yyyy h:mm:ss tt"], CultureInfo.InvariantCulture).ToString("M/d/yyyy", CultureInfo.InvariantCulture) + " 12:00:00 AM";

    // Enough CSV for these files: quoted fields may hold commas and doubled quotes.
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
}
