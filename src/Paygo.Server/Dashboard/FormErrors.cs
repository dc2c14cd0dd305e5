using Paygo.Core.Common;

namespace Paygo.Server.Dashboard;

/// <summary>
/// Core's field errors speak the API's language (<c>The field 'billingProfile.defaultAddress.firstName'
/// is required.</c>); a form speaks its labels ("First name is required."). Each form passes the
/// labels of its fields; a field without one is named by its last segment in words, so an API path
/// never reaches the page.
/// </summary>
public static class FormErrors
{
    /// <summary>The message of <paramref name="error"/> with its field named as the form names it.</summary>
    public static string Describe(FieldError error, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var field = error.Field;
        var message = error.Message;
        if (field.Length == 0)
        {
            return message;
        }

        var label = LabelOf(field, labels);
        var last = field[(field.LastIndexOf('.') + 1)..];

        // The message names the field as a whole path or, inside a nested object, by its last segment.
        foreach (var name in field == last ? [field] : new[] { field, last })
        {
            message = message
                .Replace($"The field '{name}'", label, StringComparison.Ordinal)
                .Replace($"the field '{name}'", label, StringComparison.Ordinal)
                .Replace($"'{name}'", label, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>The label of a field: the form's, else its last path segment in words ("firstName" is "First name").</summary>
    public static string LabelOf(string field, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (labels is not null && labels.TryGetValue(field, out var label))
        {
            return label;
        }

        return DisplayNames.Of(field[(field.LastIndexOf('.') + 1)..]);
    }
}
