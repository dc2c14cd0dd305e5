using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Paygo.Rating.Pricing;

namespace Paygo.Benchmarks;

/// <summary>
/// Importing and exporting a generated 1,000,000-row price list (about 235 MB): parse and
/// validate (all or nothing), the first lookup (which builds the index), and the export.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PriceListBenchmarks
{
    private const int Rows = 1_000_000;
    private string _path = string.Empty;
    private PriceList _list = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"paygo-bench-pricelist-{Rows}.csv");
        using (var file = File.Create(_path))
        {
            PriceListFile.Write(file, PriceListGenerator.Generate(Rows, seed: 11));
        }

        _list = Read();
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public PriceList Read()
    {
        using var file = File.OpenRead(_path);
        return PriceListFile.Read(file).Value ?? throw new InvalidOperationException("The generated list must be valid.");
    }

    [Benchmark]
    public bool ReadAndFirstLookup()
    {
        var list = Read();
        return list.Find(list.Rows[0].MeterIds, list.Rows[0].Market, new DateOnly(2026, 11, 15)).Found;
    }

    [Benchmark]
    public long Write()
    {
        using var sink = new CountingStream();
        PriceListFile.Write(sink, _list.Rows);
        return sink.Length;
    }

    // Counts the bytes so the export's cost is measured without the disk's.
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
