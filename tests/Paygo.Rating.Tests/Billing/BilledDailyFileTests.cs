using Paygo.Rating.Billing;

namespace Paygo.Rating.Tests.Billing;

public sealed class BilledDailyFileTests
{
    private static string Samples(params string[] parts)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return Path.Combine([folder.FullName, "samples", .. parts]);
            }
        }

        throw new DirectoryNotFoundException("the repository root (Paygo.slnx) is not above the test binary");
    }

    [Fact]
    public void Read_RatedSample_ThenFocus_IsTheSampleFocusFileByteForByte()
    {
        using var input = File.OpenRead(Samples("billing", "daily-202611-eur.csv"));

        var read = BilledDailyFile.Read(input, TestContext.Current.CancellationToken);
        using var output = new MemoryStream();
        var rows = FocusFile.Write(output, read.Value!);

        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        Assert.Equal(11, rows);
        Assert.Equal(File.ReadAllBytes(Samples("billing", "focus-202611-eur.csv")), output.ToArray());
    }

    [Fact]
    public void Read_RatedSample_EveryRowKeepsItsBilledTotal()
    {
        using var input = File.OpenRead(Samples("billing", "daily-202611-eur.csv"));

        var rows = BilledDailyFile.Read(input, TestContext.Current.CancellationToken).Value!;

        Assert.All(rows, r => Assert.Equal("EUR", r.BillingCurrency.Value));
        Assert.Contains(rows, r => r.PecPercent == 15m);
        Assert.Contains(rows, r => r.PecPercent == 0m);
        Assert.All(rows, r => Assert.True(r.BillingPreTaxTotal <= r.Quantity * r.UnitPrice * r.PcToBcExchangeRate));
    }

    [Fact]
    public void Read_UnratedFile_RefusedWithThePriceColumnsNamed()
    {
        using var input = File.OpenRead(Samples("rating", "usage-202611.csv"));

        var read = BilledDailyFile.Read(input, TestContext.Current.CancellationToken);

        Assert.False(read.Succeeded);
        Assert.Contains(read.Problems, p => p.Column == "BillingPreTaxTotal" && p.Row == 2 && p.Reason.Contains("paygo rate", StringComparison.Ordinal));
    }
}
