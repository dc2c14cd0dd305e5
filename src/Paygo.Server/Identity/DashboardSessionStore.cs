using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>
/// Keeps dashboard sessions in the database (table <c>DashboardSessions</c>); the cookie holds
/// only the session's id. Sign-out deletes the row, so a copied <c>paygo.session</c> cookie stops
/// working at once instead of for the rest of its 8 hours; nodes sharing the database share the
/// sessions. Rows of expired sessions are dropped when a new session starts, not by a sweeper.
/// </summary>
internal sealed class DashboardSessionStore(IServiceScopeFactory scopes, TimeProvider clock) : ITicketStore
{
    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaygoDbContext>();
        await db.DashboardSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var session = new DashboardSessionRecord
        {
            Id = Guid.NewGuid(),
            UserId = Guid.TryParse(ticket.Principal.FindFirst(PaygoClaims.Subject)?.Value, out var userId) ? userId : Guid.Empty,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            ExpiresAt = ExpiresAt(ticket, now),
        };
        db.DashboardSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id.ToString("N");
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return;
        }

        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expiresAt = ExpiresAt(ticket, clock.GetUtcNow());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaygoDbContext>();

        // Only a session that still exists is renewed: a renewal racing a sign-out must not bring it back.
        await db.DashboardSessions.Where(s => s.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAt, expiresAt), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaygoDbContext>();
        var bytes = await db.DashboardSessions.AsNoTracking()
            .Where(s => s.Id == id && s.ExpiresAt > now)
            .Select(s => s.Ticket)
            .FirstOrDefaultAsync(cancellationToken);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaygoDbContext>();
        await db.DashboardSessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    // The cookie handler sets the ticket's expiry before storing it; the fallback is the cookie's lifetime.
    private static DateTimeOffset ExpiresAt(AuthenticationTicket ticket, DateTimeOffset now) =>
        ticket.Properties.ExpiresUtc ?? now + AuthSetup.SessionLifetime;
}
