using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Paygo.Rating.Billing;

/// <summary>
/// Makes a PDF that PDFsharp wrote the same bytes for the same content (M5, M7: a statement
/// downloaded twice, or rewritten by a rerun close, is the same file). PDFsharp puts three random
/// values in every file and offers no seed for them: the six-letter tag of each embedded font
/// subset (<c>/FontName/WFQUQS+DejaVu Sans</c>), the XMP <c>DocumentID</c> and <c>InstanceID</c>
/// (<c>uuid:…</c>), and the trailer's <c>/ID</c>. Each is replaced in place by a value of the
/// same length derived from a SHA-256 of the file with those values blanked, so the cross-
/// reference table's byte offsets stay valid and different content still gets different ids,
/// as the PDF specification asks of <c>/ID</c>.
/// </summary>
public static partial class StablePdf
{
    public static void Stabilize(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);

        // Latin-1 maps each byte to one char and back, so indexes in the text are byte offsets.
        var text = Encoding.Latin1.GetString(pdf);
        var tags = FontTag().Matches(text).Select(m => m.Groups["tag"].Value).Distinct(StringComparer.Ordinal).ToList();
        var uuids = Uuid().Matches(text).ToList();
        var ids = TrailerId().Matches(text).ToList();

        // Blank the random values, hash, then write values derived from the hash.
        foreach (var tag in tags)
        {
            ReplaceTag(pdf, text, tag, "AAAAAA");
        }

        foreach (var match in uuids)
        {
            Write(pdf, match.Groups["uuid"].Index, new string('0', match.Groups["uuid"].Length));
        }

        foreach (var match in ids)
        {
            Write(pdf, match.Groups["first"].Index, new string('0', 32));
            Write(pdf, match.Groups["second"].Index, new string('0', 32));
        }

        var hash = SHA256.HashData(pdf);
        for (var i = 0; i < tags.Count; i++)
        {
            ReplaceTag(pdf, text, tags[i], Letters(hash, i));
        }

        for (var i = 0; i < uuids.Count; i++)
        {
            Write(pdf, uuids[i].Groups["uuid"].Index, Guid(hash, i).ToString("D"));
        }

        // The first id names the document, the second this version of it; a PDF written once has both equal.
        var id = Convert.ToHexString(hash, 0, 16);
        foreach (var match in ids)
        {
            Write(pdf, match.Groups["first"].Index, id);
            Write(pdf, match.Groups["second"].Index, id);
        }
    }

    private static void ReplaceTag(byte[] pdf, string text, string tag, string replacement)
    {
        foreach (Match match in FontTag().Matches(text))
        {
            if (string.Equals(match.Groups["tag"].Value, tag, StringComparison.Ordinal))
            {
                Write(pdf, match.Groups["tag"].Index, replacement);
            }
        }
    }

    private static void Write(byte[] pdf, int offset, string ascii) => Encoding.ASCII.GetBytes(ascii, 0, ascii.Length, pdf, offset);

    /// <summary>Six upper-case letters, as a subset tag must be (PDF 32000 §9.6.4), different for each font.</summary>
    private static string Letters(byte[] hash, int font)
    {
        Span<char> letters = stackalloc char[6];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('A' + (hash[((font * 6) + i) % hash.Length] % 26));
        }

        return new string(letters);
    }

    private static Guid Guid(byte[] hash, int index)
    {
        var bytes = SHA256.HashData([.. hash, (byte)index]).AsSpan(0, 16).ToArray();
        return new Guid(bytes);
    }

    [GeneratedRegex(@"/(?:FontName|BaseFont)/(?<tag>[A-Z]{6})\+")]
    private static partial Regex FontTag();

    [GeneratedRegex(@"<xmpMM:(?:DocumentID|InstanceID)>uuid:(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})</xmpMM:")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"/ID\s*\[\s*<(?<first>[0-9A-Fa-f]{32})>\s*<(?<second>[0-9A-Fa-f]{32})>\s*\]")]
    private static partial Regex TrailerId();
}
