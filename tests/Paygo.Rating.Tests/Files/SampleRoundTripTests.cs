using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Files;

/// <summary>The repository's sample files read and written back byte for byte (the export stays Partner Center's).</summary>
public sealed class SampleRoundTripTests
{
    [Theory]
    [InlineData("pricelist-us-202611.csv")]
    [InlineData("pricelist-us-202610.csv")]
    public void PriceListSample_WrittenBack_IsByteIdentical(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(Samples(), name));
        using var input = new MemoryStream(original);
        var read = PriceListFile.Read(input, TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded, string.Join("; ", read.Problems));

        using var output = new MemoryStream();
        PriceListFile.Write(output, read.Value.Rows, TestContext.Current.CancellationToken);

        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public async Task PriceListSample_WrittenBackAsync_IsByteIdentical()
    {
        var original = File.ReadAllBytes(Path.Combine(Samples(), "pricelist-us-202611.csv"));
        using var input = new MemoryStream(original);
        var read = await PriceListFile.ReadAsync(input, TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded);

        using var output = new MemoryStream();
        await PriceListFile.WriteAsync(output, read.Value.Rows, TestContext.Current.CancellationToken);

        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public void FxSample_WrittenBack_IsByteIdentical()
    {
        var original = File.ReadAllBytes(Path.Combine(Samples(), "fxrates-202611.csv"));
        using var input = new MemoryStream(original);
        var read = FxRateFile.Read(input, TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded, string.Join("; ", read.Problems));

        using var output = new MemoryStream();
        FxRateFile.Write(output, read.Value.Rates);

        Assert.Equal(original, output.ToArray());
    }

    private static string Samples()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return Path.Combine(folder.FullName, "samples");
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }
}
