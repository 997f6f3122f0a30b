using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Phoenix.Aws.Adapters;

/// <summary>Attribute helpers for the one Phoenix table (pk/sk strings, ttl epoch seconds; contracts.md).</summary>
internal static class DynamoDbItems
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Bool(bool value) => new() { BOOL = value };

    public static AttributeValue Time(DateTimeOffset value) => S(value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    public static string? Text(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.NULL != true ? value.S : null;

    public static long Number(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;

    public static DateTimeOffset? Timestamp(this Dictionary<string, AttributeValue> item, string name) =>
        item.Text(name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    public static DateTimeOffset Epoch(this Dictionary<string, AttributeValue> item, string name) => DateTimeOffset.FromUnixTimeSeconds(item.Number(name));

    /// <summary>Adds the attribute only when it has a value: DynamoDB rejects empty strings in key-less attributes of older tables and null adds noise.</summary>
    public static void PutIfSet(this Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            item[name] = S(value);
        }
    }
}
