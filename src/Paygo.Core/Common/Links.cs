namespace Paygo.Core.Common;

/// <summary>A header to send with a link, e.g. <c>MS-ContinuationToken</c>.</summary>
public sealed record LinkHeader(string Key, string Value);

/// <summary>Partner Center's link: a relative URI, its method and the headers to send.</summary>
public sealed record Link(string Uri, string Method, IReadOnlyList<LinkHeader> Headers)
{
    public static Link Get(string uri) => new(uri, "GET", []);
}

/// <summary>Partner Center's <c>attributes</c> object of a resource.</summary>
public sealed record ResourceAttributes(string ObjectType, string? Etag = null);

/// <summary>Links of a single resource.</summary>
public sealed record ResourceLinks(Link Self);

/// <summary>Links of a collection page; <c>next</c> only while more items follow.</summary>
public sealed record CollectionLinks(Link? Next);

/// <summary>Partner Center's collection envelope: <c>{ totalCount, items, links, attributes }</c>.</summary>
public sealed record CollectionPage<T>(int TotalCount, IReadOnlyList<T> Items, CollectionLinks Links, ResourceAttributes Attributes);

public static class CollectionPage
{
    /// <summary>A page of items; <c>totalCount</c> is the number of items in this page, as Partner Center's seek collections give it.</summary>
    public static CollectionPage<T> Of<T>(IReadOnlyList<T> items, Link? next) =>
        new(items.Count, items, new CollectionLinks(next), new ResourceAttributes("Collection"));
}
