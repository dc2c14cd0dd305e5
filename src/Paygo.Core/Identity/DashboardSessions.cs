namespace Paygo.Core.Identity;

/// <summary>
/// A signed-in dashboard session, held on the server: the <c>paygo.session</c> cookie carries
/// only this row's id, so signing out (deleting the row) ends the session even for a copy of the
/// cookie, which a self-contained cookie could not do before it expired.
/// </summary>
public sealed class DashboardSessionRecord
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The serialized authentication ticket (claims and properties) of the session.</summary>
    public required byte[] Ticket { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
