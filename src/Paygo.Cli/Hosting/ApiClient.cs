using System.Net.Http.Json;
using System.Text.Json;
using Paygo.Core.Common;

namespace Paygo.Cli.Hosting;

/// <summary>A failure the server explained with its error body, or that kept the server from answering.</summary>
internal sealed class CliFailure(string message, IReadOnlyList<FieldError>? fields = null) : Exception(message)
{
    public IReadOnlyList<FieldError> Fields { get; } = fields ?? [];

    /// <summary>The OAuth error code, when the token endpoint refused (e.g. <c>authorization_pending</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The <c>code</c> of the API's error body (e.g. 13605), so a command can explain a known refusal in its own words.</summary>
    public int? ApiCode { get; init; }

    /// <summary>True when the request got no answer: the server may or may not have done the work.</summary>
    public bool NoAnswer { get; init; }

    /// <summary>
    /// The same failure with the command's option beside each field the server names
    /// (<c>billingProfile.defaultAddress.state (--state)</c>), so the message says what to change on the command line.
    /// </summary>
    public CliFailure NamingOptions(IReadOnlyDictionary<string, string> optionOfField)
    {
        ArgumentNullException.ThrowIfNull(optionOfField);
        return new CliFailure(Message, [.. Fields.Select(f => optionOfField.TryGetValue(f.Field, out var option) ? f with { Field = $"{f.Field} ({option})" } : f)])
        {
            ErrorCode = ErrorCode,
            ApiCode = ApiCode,
            NoAnswer = NoAnswer,
        };
    }
}

/// <summary>
/// Calls Paygo's REST API with the signed-in user's token (refreshed when it has expired) and
/// turns error bodies into <see cref="CliFailure"/>.
/// </summary>
internal sealed class ApiClient(HttpClient http, CliEnvironment environment) : IDisposable
{
    public static ApiClient For(CliEnvironment environment, Uri server) => new(environment.CreateHttpClient(server), environment);

    /// <summary>
    /// A client without the 100 s timeout, for file transfers: a 200 MB upload and its
    /// server-side check take longer than any fixed limit; Ctrl+C still cancels.
    /// </summary>
    public static ApiClient ForTransfers(CliEnvironment environment, Uri server)
    {
        var http = environment.CreateHttpClient(server);
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new(http, environment);
    }

    public async Task<T> GetAsync<T>(string path, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(key, value);
        }

        return await SendAsync<T>(request, cancellationToken);
    }

    /// <summary>POSTs <paramref name="body"/> (none when null, as Partner Center's checkout) with the <c>MS-RequestId</c> that makes a retry safe.</summary>
    public async Task<T> PostAsync<T>(string path, object? body, string requestId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: PaygoJson.Options),
        };
        request.Headers.Add("MS-RequestId", requestId);
        request.Headers.Add("MS-CorrelationId", Guid.NewGuid().ToString());
        return await SendAsync<T>(request, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> signed in and returns the answer whatever its status,
    /// headers read and body not yet, so a caller can stream a download or read an error body of
    /// its own shape (a refused file lists rows and columns).
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliFailure($"Cannot reach the Paygo server at {http.BaseAddress}: {e.Message}") { NoAnswer = true };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure($"The Paygo server at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s.") { NoAnswer = true };
        }
    }

    /// <summary>The failure an unsuccessful answer's body explains (Paygo's error body), or its status alone.</summary>
    public static CliFailure FailureOf(HttpResponseMessage response, string text)
    {
        ArgumentNullException.ThrowIfNull(response);
        ErrorBody? error = null;
        try
        {
            error = JsonSerializer.Deserialize<ErrorBody>(text, PaygoJson.Options);
        }
        catch (JsonException)
        {
            // Not Paygo's error body: report the status alone below.
        }

        return error is { Description: not null }
            ? new CliFailure($"Error {error.Code}: {error.Description}", error.Data) { ApiCode = error.Code }
            : new CliFailure($"The server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
    }

    public void Dispose() => http.Dispose();

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (environment.Variable("PAYGO_TOKEN") is { Length: > 0 } token)
        {
            return token;
        }

        var server = http.BaseAddress!;
        var store = new CredentialStore(environment);
        var saved = store.Find(server)
            ?? throw new CliFailure($"Not signed in to {server}: run paygo login --server {server} --user <e-mail>.");
        if (saved.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(1))
        {
            return saved.AccessToken;
        }

        if (saved.RefreshToken is null)
        {
            throw new CliFailure($"The sign-in to {server} has expired: run paygo login again.");
        }

        var refreshed = await TokenClient.RefreshAsync(http, saved.RefreshToken, TimeProvider.System, cancellationToken);
        store.Save(server, refreshed);
        return refreshed.AccessToken;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliFailure($"Cannot reach the Paygo server at {http.BaseAddress}: {e.Message}") { NoAnswer = true };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's timeout, not the user's Ctrl+C: the server may still have done the work.
            throw new CliFailure($"The Paygo server at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s.") { NoAnswer = true };
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonSerializer.Deserialize<T>(text, PaygoJson.Options)
                    ?? throw new CliFailure($"The server at {http.BaseAddress} answered {request.RequestUri} with an empty body.");
            }

            throw FailureOf(response, text);
        }
    }
}
