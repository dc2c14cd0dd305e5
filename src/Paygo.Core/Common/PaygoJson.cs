using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygo.Core.Common;

/// <summary>
/// The one JSON setting of the API: camelCase out, any case in (Partner Center's SDK sends
/// PascalCase), nulls omitted on output, numbers never as strings on output.
/// </summary>
public static class PaygoJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies Paygo's settings to options the framework owns (ASP.NET Core's HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.MaxDepth = 32;

        // The API is served as application/json, never embedded in HTML, so quotes and
        // non-ASCII names (Gießen, 東京) are written as they are, readable in files and logs.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        return options;
    }
}
