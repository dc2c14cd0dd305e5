using System.CommandLine;
using Paygo.Core.Common;

namespace Paygo.Cli.Hosting;

/// <summary>
/// <c>--request-id</c>: the <c>MS-RequestId</c> of a create. Running the same command again with
/// the same id gets the first answer instead of a second resource (the server remembers it for 24 hours).
/// </summary>
internal static class RequestIdOption
{
    /// <param name="reserved">Characters a command appends to derive further ids (e.g. <c>-cart</c>), so the longest derived id still fits.</param>
    public static Option<string?> Create(int reserved = 0)
    {
        var maxLength = IdempotentCreates.MaxRequestIdLength - reserved;
        var option = new Option<string?>("--request-id")
        {
            Description = "MS-RequestId: repeat the command with the same id to retry it safely; a new GUID when left out.",
        };
        option.Validators.Add(result =>
        {
            // Checked here so a bad id fails before anything is sent, not halfway through a purchase.
            if (result.GetValueOrDefault<string?>() is { } value
                && (value.Length == 0 || value.Length > maxLength || value.Any(c => c is < '!' or > '~')))
            {
                result.AddError($"--request-id must be 1 to {maxLength} printable ASCII characters without spaces, such as a GUID.");
            }
        });
        return option;
    }

    /// <summary>The given id, or a new one.</summary>
    public static string Resolve(string? given) => given ?? Guid.NewGuid().ToString();

    /// <summary>
    /// Runs a create; when it got no answer and the id was generated, the message gives the id,
    /// because only a retry with that same id cannot create the resource twice.
    /// </summary>
    public static async Task<T> RetryableAsync<T>(string? given, string requestId, Func<Task<T>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        try
        {
            return await create();
        }
        catch (CliFailure failure) when (failure.NoAnswer && given is null)
        {
            throw new CliFailure($"{failure.Message} The server may have done it already: run the same command again with --request-id {requestId} to retry safely.", failure.Fields);
        }
    }
}
