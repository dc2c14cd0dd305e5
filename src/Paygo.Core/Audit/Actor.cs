namespace Paygo.Core.Audit;

/// <summary>Who is acting: the signed-in user or app credential, with the request's correlation id.</summary>
public sealed record Actor(string? UserPrincipalName, string? ApplicationId, string? CorrelationId)
{
    /// <summary>Paygo itself (start-up, seeding, background jobs).</summary>
    public static Actor System { get; } = new("system", null, null);
}

/// <summary>The actor of the current unit of work; the server reads it from the request.</summary>
public interface IActorAccessor
{
    Actor Current { get; }
}

/// <summary>A fixed actor, for the CLI's local commands and for tests.</summary>
public sealed class FixedActor(Actor actor) : IActorAccessor
{
    public Actor Current { get; } = actor;
}
