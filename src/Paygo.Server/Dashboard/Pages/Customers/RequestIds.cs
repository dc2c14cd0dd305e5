namespace Paygo.Server.Dashboard.Pages.Customers;

/// <summary>
/// The hidden MS-RequestId of a dashboard form. The page puts a GUID there; anything else that
/// comes back in a post was edited, and would reach the idempotency table unchecked (the API
/// validates the header, the page must do it itself), so it is replaced by a fresh GUID.
/// </summary>
internal static class RequestIds
{
    public static string OrNew(string? posted) =>
        Guid.TryParse(posted, out var id) ? id.ToString() : Guid.NewGuid().ToString();
}
