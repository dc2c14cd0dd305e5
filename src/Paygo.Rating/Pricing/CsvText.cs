using System.Buffers;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Writes CSV fields the way Paygo's files are written (DOMAIN.md §10): UTF-8 without a BOM,
/// comma separated, CRLF after every row (RFC 4180, and what Excel writes), a field in double
/// quotes only when it holds a comma, a quote or a line break (or always, where the Microsoft
/// file being mimicked quotes everything).
/// </summary>
internal static class CsvText
{
    public const string NewLine = "\r\n";

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>Writes UTF-8 without a BOM; throws on a lone surrogate rather than writing a broken file.</summary>
    public static System.Text.UTF8Encoding Utf8NoBom { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Reading replaces bytes that are not UTF-8 with U+FFFD, which the readers report with the row
    // and column they are in (an exception would only say "somewhere in this 64 KB buffer").
    private static readonly System.Text.UTF8Encoding Utf8Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static void WriteField(TextWriter writer, ReadOnlySpan<char> value, bool alwaysQuote = false)
    {
        if (!alwaysQuote && value.IndexOfAny(NeedsQuotes) < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        while (true)
        {
            var quote = value.IndexOf('"');
            if (quote < 0)
            {
                writer.Write(value);
                break;
            }

            writer.Write(value[..(quote + 1)]);
            writer.Write('"');
            value = value[(quote + 1)..];
        }

        writer.Write('"');
    }

    public static TextReader OpenText(Stream stream) =>
        new StreamReader(stream, Utf8Lenient, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
}
