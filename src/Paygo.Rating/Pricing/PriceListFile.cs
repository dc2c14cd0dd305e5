using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using Paygo.Rating.Files;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Reads and writes Azure plan price list files (Partner Center's 18-column CSV). Reading is all
/// or nothing: the whole list, or every problem with its row and column
/// (docs/adr/0010-price-list-files.md). Streams are read in buffers, never as one string.
/// </summary>
public static class PriceListFile
{
    private static readonly SepReaderOptions ReaderOptions = new Sep(',').Reader() with
    {
        // The header is checked by Paygo (order, spelling, duplicates), so Sep sees it as row 0.
        HasHeader = false,
        Unescape = true,
        // A row with the wrong number of fields is a problem to report, not an exception.
        DisableColCountCheck = true,
    };

    /// <summary>The first row of every price list file.</summary>
    public static IReadOnlyList<string> Columns => PriceListColumns.All;

    /// <summary>Reads a UTF-8 price list (BOM optional, CRLF or LF) from a stream left open.</summary>
    public static FileReadResult<PriceList> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = CsvText.OpenText(stream);
        return Read(text, cancellationToken);
    }

    /// <summary>Reads a price list from text already decoded.</summary>
    public static FileReadResult<PriceList> Read(TextReader text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new PriceListParser();
        using (var reader = ReaderOptions.From(text))
        {
            foreach (var row in reader)
            {
                if ((row.RowIndex & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!parser.Accept(row))
                {
                    break;
                }
            }
        }

        return parser.Finish(cancellationToken);
    }

    /// <summary>
    /// Reads a price list without blocking a thread on I/O (an HTTP request body, where ASP.NET
    /// Core forbids synchronous reads); the rules are those of <see cref="Read(Stream, CancellationToken)"/>.
    /// </summary>
    public static async Task<FileReadResult<PriceList>> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = CsvText.OpenText(stream);
        var parser = new PriceListParser();
        using (var reader = await ReaderOptions.FromAsync(text, cancellationToken))
        {
            await foreach (var row in reader)
            {
                if ((row.RowIndex & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!parser.Accept(row))
                {
                    break;
                }
            }
        }

        return parser.Finish(cancellationToken);
    }

    /// <summary>Starts a file on <paramref name="stream"/> (the header is written at once); dispose the writer to flush.</summary>
    public static PriceListWriter CreateWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new PriceListWriter(stream, leaveOpen);
    }

    /// <summary>
    /// As <see cref="Write"/>, without blocking a thread on I/O (an HTTP response body, where
    /// ASP.NET Core forbids synchronous writes): rows are formatted into 64 KB chunks, each
    /// written asynchronously. The stream is left open.
    /// </summary>
    public static async Task WriteAsync(Stream stream, IEnumerable<PriceListRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rows);
        const int ChunkChars = 1 << 16;
        var text = new StringBuilder(ChunkChars + 4096);
        using var chunk = new StringWriter(text, CultureInfo.InvariantCulture);
        using var writer = new PriceListWriter(chunk);
        var bytes = new byte[CsvText.Utf8NoBom.GetMaxByteCount(ChunkChars + 4096)];
        foreach (var row in rows)
        {
            writer.Write(row);
            if (text.Length >= ChunkChars)
            {
                await WriteChunkAsync(stream, text, bytes, cancellationToken);
            }
        }

        await WriteChunkAsync(stream, text, bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Writes a whole file: the header, then <paramref name="rows"/> in their order. The stream is left open.</summary>
    public static void Write(Stream stream, IEnumerable<PriceListRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = CreateWriter(stream, leaveOpen: true);
        var count = 0;
        foreach (var row in rows)
        {
            if ((++count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            writer.Write(row);
        }
    }

    // Chunks hold whole rows, so a surrogate pair is never split between two encodings.
    private static async Task WriteChunkAsync(Stream stream, StringBuilder text, byte[] bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length < CsvText.Utf8NoBom.GetMaxByteCount(text.Length))
        {
            bytes = new byte[CsvText.Utf8NoBom.GetMaxByteCount(text.Length)];
        }

        var length = 0;
        foreach (var part in text.GetChunks())
        {
            length += CsvText.Utf8NoBom.GetBytes(part.Span, bytes.AsSpan(length));
        }

        text.Clear();
        await stream.WriteAsync(bytes.AsMemory(0, length), cancellationToken);
    }
}
