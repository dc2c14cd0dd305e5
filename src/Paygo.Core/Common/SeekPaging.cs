using System.Buffers.Text;
using System.Text.Json;

namespace Paygo.Core.Common;

/// <summary>
/// Seek ("keyset") paging as Partner Center does it: the next page is asked for with
/// <c>seekOperation=Next</c> and the header <c>MS-ContinuationToken</c>, whose opaque value holds
/// the sort key of the last item served. Seek paging stays fast and stable while rows are added,
/// unlike offsets (docs/adr/0004).
/// </summary>
public static class SeekPaging
{
    public const string ContinuationTokenHeader = "MS-ContinuationToken";
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;

    /// <summary>Checks the requested page size: absent gives the default; 1..<see cref="MaxSize"/> otherwise.</summary>
    public static bool TryGetSize(int? requested, out int size, out ApiError? error)
    {
        size = requested ?? DefaultSize;
        error = null;
        if (size is < 1 or > MaxSize)
        {
            error = ApiError.InvalidField("size", $"The page size 'size' must be between 1 and {MaxSize}; it was {size}.");
            return false;
        }

        return true;
    }

    /// <summary>Encodes the sort key of the last item of a page.</summary>
    public static string Encode(params string[] key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key, PaygoJson.Options));

    /// <summary>Decodes a continuation token into a sort key of <paramref name="parts"/> strings.</summary>
    public static bool TryDecode(string? token, int parts, out string[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return false;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(token);
            var decoded = JsonSerializer.Deserialize<string[]>(bytes, PaygoJson.Options);
            if (decoded is null || decoded.Length != parts || decoded.Any(p => p is null))
            {
                return false;
            }

            key = decoded;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    public static ApiError InvalidToken() => new(
        ErrorKind.Invalid,
        ErrorCodes.InvalidRequestInput,
        $"The header '{ContinuationTokenHeader}' does not hold a continuation token Paygo issued for this list.",
        [new FieldError(ContinuationTokenHeader, "Not a continuation token of this list.")]);

    /// <summary>The link to the next page, with the token in a header as Partner Center gives it.</summary>
    /// <remarks><paramref name="query"/> carries the list's own parameters (a search filter), which every page must repeat.</remarks>
    public static Link NextLink(string path, int size, string token, string? query = null) =>
        new($"{path}?size={size}{(string.IsNullOrEmpty(query) ? string.Empty : "&" + query)}&seekOperation=Next", "GET", [new LinkHeader(ContinuationTokenHeader, token)]);
}
