using Paygo.Rating.Files;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Writes price list rows in Partner Center's format, one at a time, so an export of any size
/// streams: <see cref="PriceListColumns.Table"/>'s columns in order, texts and units verbatim,
/// decimals with the scale they were read with, dates as <c>M/d/yyyy h:mm:ss tt</c>. A file read
/// by <see cref="PriceListFile"/> and written back is byte-identical when it was canonical
/// (docs/adr/0010-price-list-files.md).
/// </summary>
public sealed class PriceListWriter : IDisposable, IAsyncDisposable
{
    private readonly CsvTableWriter<PriceListRow> _writer;

    internal PriceListWriter(Stream stream, bool leaveOpen) => _writer = new(stream, PriceListColumns.Table, leaveOpen);

    internal PriceListWriter(TextWriter writer) => _writer = new(writer, PriceListColumns.Table);

    public void Write(PriceListRow row) => _writer.Write(row);

    public void Flush() => _writer.Flush();

    public Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
