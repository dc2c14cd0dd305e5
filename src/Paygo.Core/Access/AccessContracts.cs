using Paygo.Core.Common;

namespace Paygo.Core.Access;

/// <summary>
/// An access record as the API serves it (docs/adr/0027). <c>id</c> is Paygo's id of the record
/// (the route's <c>{assignmentId}</c>); <c>assignmentId</c> is the id PEC evidence and the access
/// CSV name; <c>state</c> is <c>active</c>, <c>scheduled</c> (starts later), <c>ended</c>, or
/// <c>superseded</c> (a correction replaced it).
/// </summary>
public sealed record AccessAssignmentResource(
    Guid Id,
    string AssignmentId,
    string Kind,
    Guid CustomerId,
    Guid EntitlementId,
    string Scope,
    string RoleDefinitionId,
    string RoleDefinitionName,
    bool PecEligible,
    string PrincipalType,
    Guid PrincipalId,
    string PrincipalDisplayName,
    string? PartnerId,
    string Source,
    DateTimeOffset Start,
    DateTimeOffset? End,
    Guid? Corrects,
    Guid? CorrectedBy,
    string State,
    DateTimeOffset RecordedAt,
    string? RecordedBy,
    ResourceAttributes Attributes);

/// <summary>
/// One assignment to record (a create or a correction). The names follow the access CSV's
/// columns; <c>roleDefinitionName</c> or <c>roleDefinitionId</c> names the role.
/// </summary>
public sealed record AccessAssignmentRequest(
    string? AssignmentId = null,
    string? Kind = null,
    string? PrincipalType = null,
    string? PrincipalId = null,
    string? PartnerId = null,
    string? RoleDefinitionName = null,
    string? RoleDefinitionId = null,
    string? Scope = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    string? PrincipalDisplayName = null);

/// <summary>Ends an open assignment at <c>end</c> (now when absent).</summary>
public sealed record AccessEndRequest(DateTimeOffset? End = null);

/// <summary>What the list of a customer's access records filters on; a null <c>State</c> lists every record.</summary>
public sealed record AccessQuery(Guid? EntitlementId = null, string? State = null, string? Principal = null, int Offset = 0, int Size = 50);

/// <summary>A page of a customer's access records: Partner Center's collection shape with the total.</summary>
public sealed record AccessPage(int TotalCount, IReadOnlyList<AccessAssignmentResource> Items, CollectionLinks Links, ResourceAttributes Attributes);

/// <summary>A role definition as the API serves it; a custom role's <c>pecEligible</c> is its latest mark.</summary>
public sealed record AccessRoleResource(Guid Id, string Name, bool IsCustom, bool PecEligible, ResourceAttributes Attributes);

/// <summary>Registers a customer's custom role (the operator).</summary>
public sealed record CustomRoleRequest(Guid? Id = null, string? Name = null);

/// <summary>Marks a custom role PEC-eligible, or not (the operator).</summary>
public sealed record PecEligibilityRequest(bool? PecEligible = null);

/// <summary>One problem of a refused access file: the row as a spreadsheet numbers it, the column, a code and a message.</summary>
public sealed record AccessProblemResource(int Row, string? Column, int Code, string Message, string? Value);

/// <summary>Partner Center's error body for a refused access file, every problem in <c>data</c>.</summary>
public sealed record AccessImportErrorBody(int Code, string Description, IReadOnlyList<AccessProblemResource> Data, long ProblemCount, string Source);

/// <summary>What an accepted access file did.</summary>
public sealed record AccessImportResource(int Rows, int Recorded, int Ended, int Unchanged, ResourceAttributes Attributes);

/// <summary>Paygo's codes of the access store (docs/adr/0004's 990000 range).</summary>
public static class AccessCodes
{
    /// <summary>Invalid: the access file was refused; <c>data</c> lists each problem.</summary>
    public const int FileRefused = 990470;

    /// <summary>Invalid: a value of a row or request is malformed or names an unknown role.</summary>
    public const int InvalidValue = 990471;

    /// <summary>NotFound / Invalid: the scope's Azure subscription is not one Paygo bills for the caller.</summary>
    public const int UnknownSubscription = 990472;

    /// <summary>Forbidden: the caller's partner holds no Owner or User Access Administrator through AOBO on the subscription.</summary>
    public const int NoAoboWriteAccess = 990473;

    /// <summary>Conflict: the assignment id is already recorded with other values; correct that record instead.</summary>
    public const int ConflictsWithRecord = 990474;

    /// <summary>Invalid: the assignment id appears twice in one file.</summary>
    public const int DuplicateInFile = 990475;

    /// <summary>Conflict: the record has already ended, or has been corrected.</summary>
    public const int AlreadyEnded = 990476;

    /// <summary>Invalid: a built-in role's eligibility is Microsoft's (reference §3.3), not the operator's.</summary>
    public const int BuiltInRoleNotMarkable = 990477;
}
