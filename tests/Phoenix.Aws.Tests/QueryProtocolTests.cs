using System.Xml.Linq;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

public sealed class QueryProtocolTests
{
    /// <summary>ELBv2's AuthenticationRequestExtraParams is such a map: its entries must come back whole, or an OIDC action would lose them.</summary>
    [Fact]
    public void Read_MapMember_ReadsEveryEntry()
    {
        var result = XElement.Parse(
            "<GetTopicAttributesResult><Attributes><entry><key>DisplayName</key><value>Phoenix</value></entry><entry><key>Policy</key><value>{\"a\":1}</value></entry></Attributes></GetTopicAttributesResult>");

        var read = XmlToJson.Read(result, QueryMapProbeJsonContext.Default.GetTopicAttributesResponse);

        Assert.Equal(("Phoenix", "{\"a\":1}"), ((string?)read["Attributes"]!["DisplayName"], (string?)read["Attributes"]!["Policy"]));
    }

    [Fact]
    public void Read_MapEntryWithoutKey_RefusedNamingTheElement()
    {
        var result = XElement.Parse("<GetTopicAttributesResult><Attributes><entry><value>Phoenix</value></entry></Attributes></GetTopicAttributesResult>");

        var error = Assert.Throws<InvalidDataException>(() => XmlToJson.Read(result, QueryMapProbeJsonContext.Default.GetTopicAttributesResponse));

        Assert.Contains("<Attributes>", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A map with its own entry names would be read as empty by the default reader: it must fail loudly, not come back as garbage.</summary>
    [Fact]
    public void Read_MapMemberWithOwnEntryNames_RefusedNamingTheElement()
    {
        var result = XElement.Parse("<Result><Attributes><entry><Name>DisplayName</Name><Value>Phoenix</Value></entry></Attributes></Result>");

        var error = Assert.Throws<NotSupportedException>(() => XmlToJson.Read(result, QueryMapProbeJsonContext.Default.NamedEntriesResponse));

        Assert.StartsWith("<Attributes> is a map with its own entry names", error.Message, StringComparison.Ordinal);
    }
}
