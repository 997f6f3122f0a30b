using System.Xml.Linq;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

public sealed class QueryProtocolTests
{
    /// <summary>No Query response Phoenix reads has a map; one that did must fail loudly, not come back as garbage.</summary>
    [Fact]
    public void Read_MapMember_RefusedNamingTheElement()
    {
        var result = XElement.Parse("<GetTopicAttributesResult><Attributes><entry><key>DisplayName</key><value>Phoenix</value></entry></Attributes></GetTopicAttributesResult>");

        var error = Assert.Throws<NotSupportedException>(() => XmlToJson.Read(result, QueryMapProbeJsonContext.Default.GetTopicAttributesResponse));

        Assert.StartsWith("<Attributes> maps to Dictionary", error.Message, StringComparison.Ordinal);
    }
}
