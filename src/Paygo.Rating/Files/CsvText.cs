using System.Buffers;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Files;

/// <summary>
/// Writes CSV fields the way Paygo's files are written (DOMAIN.md §10): UTF-8 without a BOM,
/// comma separated, CRLF after every row (RFC 4180, and what Excel writes), a field in double
/// quotes only when it holds a comma, a quote or a line break (or always, where the Microsoft
/// file being mimicked quotes everything).
/// </summary>
public static class CsvText
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

    /// <summary>The reason given for a row whose double quote is never closed.</summary>
    public const string UnterminatedQuoteReason =
        "a double quote opened in this row is never closed, so the rest of the file would be read as one value; close the quote (a quote inside a quoted value is written \"\")";

    /// <summary>The reason given for a NUL character.</summary>
    public const string NulReason =
        "the text holds a NUL character (U+0000), which no value may contain; the file may be binary or saved as UTF-16 rather than UTF-8";

    /// <summary>
    /// True when a spreadsheet opening the file would run the text as a formula (OWASP "CSV
    /// injection"): it starts with <c>=</c>, <c>+</c>, <c>@</c>, a tab or a carriage return, or
    /// with <c>-</c> without being a number (<c>-0.5</c> is a number, <c>-1+1</c> and <c>-A1</c>
    /// are formulas). Only the first character counts: <c>D2+ v3</c> is plain text.
    /// </summary>
    public static bool StartsLikeAFormula(ReadOnlySpan<char> text) =>
        !text.IsEmpty && text[0] switch
        {
            '=' or '+' or '@' or '\t' or '\r' => true,
            '-' => !PriceText.TryParseDecimal(text, out _),
            _ => false,
        };

    public static string FormulaReason(string column) =>
        $"{column} starts with a character that makes a spreadsheet run it as a formula (=, +, -, @, tab or carriage return); Paygo does not import such text, since its exports would carry it to other spreadsheets";

    public static TextReader OpenText(Stream stream) =>
        new StreamReader(stream, Utf8Lenient, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);

    /// <summary>A block of a file already known to be UTF-8 (<see cref="CsvBlocks"/>): no byte order mark is looked for.</summary>
    public static TextReader OpenUtf8(Stream stream) =>
        new StreamReader(stream, Utf8Lenient, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
}
