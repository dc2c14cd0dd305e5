using System.Globalization;
using System.Net.Http.Json;
using Paygo.Core.Demo;
using Paygo.Core.Pricing;
using Paygo.Rating.Files;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo usage unbilled</c> against a real server, signed in as the demo operator's Global admin (who names the partner).</summary>
public sealed class UnbilledCliTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("paygo-cli-unbilled-");

    public void Dispose() => _directory.Delete(recursive: true);

    // A CSV row's fields: the price list's SKU description ("D2s v3, Linux") is a quoted field with a comma.
    private static List<string> Fields(string row)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < row.Length; i++)
        {
            var c = row[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < row.Length && row[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UsageUnbilled_SummarisesTheMonth_AndWritesThe55ColumnFile(string engine)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        await using (var db = server.CreateDbContext())
        {
            db.FxRates.Add(new StoredFxRate { Month = (Today.Year * 100) + Today.Month, Currency = "GBP", UsdPerUnit = 1.25m, ImportedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync(cancellationToken);
        }

        using (var feed = await UsageFeedClientAsync(server, cancellationToken))
        {
            using var posted = await feed.PostAsJsonAsync("/v1/usage", new[] { Record("c-1", quantity: 200m), Record("c-2", quantity: 100m, resource: ResourceOf(DemoCommerce.TailspinAzureSubscriptionId, "vm-02")) }, cancellationToken);
            posted.EnsureSuccessStatusCode();
        }

        var partner = DemoInstance.DirectBillPartnerId.ToString();
        var summary = await CliRunner.RunAsync(server, "usage", "unbilled", "--partner", partner);
        var path = Path.Combine(_directory.FullName, "daily.csv");
        var written = await CliRunner.RunAsync(server, "usage", "unbilled", "--partner", partner, "--customer", DemoCommerce.TailspinCustomerId.ToString(), "--out", path);
        var foreign = await CliRunner.RunAsync(server, "usage", "unbilled", "--partner", partner, "--customer", DemoCommerce.LitwareCustomerId.ToString());
        var unnamed = await CliRunner.RunAsync(server, "usage", "unbilled");

        Assert.True(summary.ExitCode == 0, summary.Output + summary.Error);
        // 300 units at 0.045 USD with PEC: 11.475 USD, 9.18 GBP at 0.8.
        Assert.Contains("2 line(s), 9.18 GBP before tax (11.475 USD)", summary.Output, StringComparison.Ordinal);
        Assert.Contains("Tailspin Toys UK Ltd", summary.Output, StringComparison.Ordinal);
        Assert.True(written.ExitCode == 0, written.Output + written.Error);
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        Assert.Equal(string.Join(',', DailyRatedUsageFile.Table.Header), lines[0]);
        Assert.Equal(3, lines.Length);
        var billing = DailyRatedUsageFile.Table.IndexOf("BillingPreTaxTotal");
        Assert.Equal(9.18m, lines.Skip(1).Sum(l => decimal.Parse(Fields(l)[billing], CultureInfo.InvariantCulture)));
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains(DemoCommerce.LitwareCustomerId.ToString(), foreign.Error + foreign.Output, StringComparison.Ordinal);
        Assert.Equal(1, unnamed.ExitCode);
        Assert.Contains("--partner", unnamed.Error + unnamed.Output, StringComparison.Ordinal);
    }
}
