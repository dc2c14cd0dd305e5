namespace Paygo.Rating.Files;

/// <summary>
/// Writes one value into one column of every data row of a rendered CSV file, in place. The month
/// close renders an invoice's files while it drafts the partner, before the invoice has its number
/// (numbers are given in one transaction at the end, so a redone partner never uses one up); the
/// number column then holds a placeholder of the number's length, and the end of the close puts the
/// number there without reading, parsing and rendering the file again (docs/adr/0047).
/// </summary>
public static class CsvColumnPatch
{
    /// <summary>
    /// Replaces <paramref name="placeholder"/> by <paramref name="value"/> (of the same length, as
    /// UTF-8) in column <paramref name="column"/> of every row after the header; answers the number
    /// of rows patched. A row whose cell is not the placeholder is refused (the file is not the one
    /// the close rendered), and nothing else in the file moves: the bytes are the bytes rendering
    /// with the value would have written, since neither needs quoting.
    /// </summary>
    public static int Replace(Span<byte> file, int column, ReadOnlySpan<byte> placeholder, ReadOnlySpan<byte> value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        if (placeholder.Length != value.Length || placeholder.IsEmpty)
        {
            throw new ArgumentException("The value must have the placeholder's length, and the placeholder must not be empty.", nameof(value));
        }

        if (placeholder.IndexOfAny(Special) >= 0 || value.IndexOfAny(Special) >= 0)
        {
            throw new ArgumentException("The placeholder and the value must need no quoting.", nameof(value));
        }

        var position = SkipRow(file, 0, -1, out _);
        var rows = 0;
        while (position < file.Length)
        {
            position = SkipRow(file, position, column, out var cell);
            if (cell.Start < 0)
            {
                throw new FormatException($"Row {rows + 2} of the file has no column {column + 1}.");
            }

            var target = file.Slice(cell.Start, cell.Length);
            if (!target.SequenceEqual(placeholder))
            {
                throw new FormatException($"Row {rows + 2}, column {column + 1} of the file does not hold the placeholder.");
            }

            value.CopyTo(target);
            rows++;
        }

        return rows;
    }

    private static readonly System.Buffers.SearchValues<byte> Special = System.Buffers.SearchValues.Create(",\"\r\n"u8);

    private static readonly System.Buffers.SearchValues<byte> FieldEnd = System.Buffers.SearchValues.Create(",\r\n"u8);

    /// <summary>
    /// Reads one row from <paramref name="start"/>; answers where the next row starts, and where
    /// the content of <paramref name="wanted"/> is (without its quotes; start -1 when the row has
    /// no such column).
    /// </summary>
    private static int SkipRow(ReadOnlySpan<byte> file, int start, int wanted, out (int Start, int Length) cell)
    {
        cell = (-1, 0);
        var position = start;
        for (var index = 0; ; index++)
        {
            int contentStart, contentEnd;
            if (position < file.Length && file[position] == (byte)'"')
            {
                // A quoted field: up to the quote that is not doubled.
                contentStart = position + 1;
                var at = contentStart;
                while (true)
                {
                    var quote = file[at..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        throw new FormatException("A quoted value of the file is never closed.");
                    }

                    at += quote + 1;
                    if (at < file.Length && file[at] == (byte)'"')
                    {
                        at++;
                        continue;
                    }

                    break;
                }

                contentEnd = at - 1;
                position = at;
            }
            else
            {
                contentStart = position;
                var end = file[position..].IndexOfAny(FieldEnd);
                position = end < 0 ? file.Length : position + end;
                contentEnd = position;
            }

            if (index == wanted)
            {
                cell = (contentStart, contentEnd - contentStart);
            }

            if (position >= file.Length)
            {
                return file.Length;
            }

            switch (file[position])
            {
                case (byte)',':
                    position++;
                    continue;
                case (byte)'\r' when position + 1 < file.Length && file[position + 1] == (byte)'\n':
                    return position + 2;
                case (byte)'\n':
                    return position + 1;
                default:
                    throw new FormatException($"A quoted value of the file is followed by '{(char)file[position]}' instead of a comma or the end of its row.");
            }
        }
    }
}
