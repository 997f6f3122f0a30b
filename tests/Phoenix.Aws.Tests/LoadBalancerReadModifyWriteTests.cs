using System.Text.Json.Nodes;
using System.Web;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core.Ports;

namespace Phoenix.Aws.Tests;

/// <summary>
/// The listener and rule adapter as read-modify-write: what it reads from recorded ELBv2 responses, and that what it sends
/// back is, parameter for parameter, what the official JS SDK sends for the same actions (Fixtures/Wire), so every
/// setting Phoenix does not own survives a change of weights.
/// </summary>
public sealed class LoadBalancerReadModifyWriteTests
{
    private const string FixtureListener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string FixtureBlue = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/6d0ecf831eec9f09";
    private const string FixtureGreen = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/73e2d6bc24d8a067";
    private const string FixtureRule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

    private static string Response(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Responses", name));

    private static Dictionary<string, string> WireParameters(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Wire", fixture + ".json")))!["parameters"]!.AsObject()
            .ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

    private static Dictionary<string, string> Form(RecordedRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.Body);
        return form.AllKeys.ToDictionary(k => k!, k => form[k]!, StringComparer.Ordinal);
    }

    private static string Action(RecordedRequest request) => HttpUtility.ParseQueryString(request.Body)["Action"]!;

    /// <summary>Answers Describe* with <paramref name="describe"/> and any other action with an empty success.</summary>
    private static LoopbackServer Serve(string describe) =>
        new(r => Action(r).StartsWith("Describe", StringComparison.Ordinal) ? CannedResponse.Xml(describe) : TestClients.EmptySuccess(r));

    private static void AssertSameParameters(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));

    [Fact]
    public async Task DescribeListenerActions_RecordedOidcBeforeStickyForward_ReadsOrderStickinessAndTheOidcConfigurationWithoutTheSecret()
    {
        using var server = Serve(Response("DescribeListeners.AuthenticateOidc.xml"));

        var actions = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeListenerActionsAsync(RecordedListenerArn(), CancellationToken.None);

        Assert.Equal(2, actions.Count);
        Assert.Equal(("authenticate-oidc", (int?)1, (ForwardAction?)null), (actions[0].Type, actions[0].Order, actions[0].Forward));
        var oidc = JsonNode.Parse(actions[0].Configuration!)!["AuthenticateOidcConfig"]!;
        Assert.Equal(("https://idp.example.com", "phoenix-web", "page"), ((string?)oidc["Issuer"], (string?)oidc["ClientId"], (string?)oidc["AuthenticationRequestExtraParams"]!["display"]));
        Assert.Null(oidc["ClientSecret"]);
        Assert.Equal(("forward", (int?)2), (actions[1].Type, actions[1].Order));
        var forward = actions[1].Forward!;
        Assert.Equal((true, (int?)3600), (forward.StickinessEnabled, forward.StickinessDurationSeconds));
        Assert.Equal([100, 0], forward.TargetGroups.Select(g => g.Weight));
        Assert.Matches("/web-blue/[0-9a-f]{16}$", forward.TargetGroups[0].TargetGroupArn);
    }

    /// <summary>
    /// moto's recording also carries the client secret, which AWS never returns: either way the adapter must not send it
    /// and must set UseExistingClientSecret, exactly as the official SDK request for that listener has it.
    /// </summary>
    [Fact]
    public async Task ModifyListenerWeights_RecordedOidcListener_SendsTheOfficialSdksRequestWithoutTheSecret()
    {
        using var server = Serve(Response("DescribeListeners.AuthenticateOidc.xml"));
        var adapter = new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2());
        var listener = RecordedListenerArn();
        var groups = (await adapter.DescribeListenerWeightsAsync(listener, CancellationToken.None)).Select(g => g.TargetGroupArn).ToList();

        await adapter.ModifyListenerWeightsAsync(listener, [new(groups[0], 90), new(groups[1], 10)], CancellationToken.None);

        var modify = Assert.Single(server.Requests, r => Action(r) == "ModifyListener");
        var expected = WireParameters("ModifyListener.AuthenticateOidc").ToDictionary(
            p => p.Key,
            p => p.Value.Replace(FixtureListener, listener, StringComparison.Ordinal).Replace(FixtureBlue, groups[0], StringComparison.Ordinal).Replace(FixtureGreen, groups[1], StringComparison.Ordinal),
            StringComparer.Ordinal);
        AssertSameParameters(expected, Form(modify));
        Assert.DoesNotContain(Form(modify).Keys, k => k.EndsWith(".ClientSecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModifyListenerActions_EveryOtherActionTypeAsRead_SendsTheOfficialSdksRequest()
    {
        using var server = Serve(Listener(
            "<member><Type>authenticate-cognito</Type><Order>1</Order><AuthenticateCognitoConfig><UserPoolArn>arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI</UserPoolArn>" +
            "<UserPoolClientId>4example7client</UserPoolClientId><UserPoolDomain>phoenix-web</UserPoolDomain><SessionCookieName>AWSELBAuthSessionCookie</SessionCookieName><Scope>openid</Scope>" +
            "<SessionTimeout>604800</SessionTimeout><AuthenticationRequestExtraParams><entry><key>lang</key><value>en</value></entry></AuthenticationRequestExtraParams>" +
            "<OnUnauthenticatedRequest>deny</OnUnauthenticatedRequest></AuthenticateCognitoConfig></member>" +
            "<member><Type>jwt-validation</Type><Order>2</Order><JwtValidationConfig><JwksEndpoint>https://idp.example.com/.well-known/jwks.json</JwksEndpoint><Issuer>https://idp.example.com</Issuer>" +
            "<AdditionalClaims><member><Format>space-separated-values</Format><Name>scope</Name><Values><member>read</member><member>write</member></Values></member></AdditionalClaims></JwtValidationConfig></member>" +
            "<member><Type>redirect</Type><Order>3</Order><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><Host>#{host}</Host><Path>/#{path}</Path><Query>#{query}</Query><StatusCode>HTTP_301</StatusCode></RedirectConfig></member>" +
            "<member><Type>fixed-response</Type><Order>4</Order><FixedResponseConfig><MessageBody>maintenance &amp; more</MessageBody><StatusCode>503</StatusCode><ContentType>text/plain</ContentType></FixedResponseConfig></member>"));
        var adapter = new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2());
        var actions = await adapter.DescribeListenerActionsAsync(FixtureListener, CancellationToken.None);

        await adapter.ModifyListenerActionsAsync(FixtureListener, actions, CancellationToken.None);

        Assert.All(actions, a => Assert.Null(a.Forward));
        AssertSameParameters(WireParameters("ModifyListener.EveryActionType"), Form(Assert.Single(server.Requests, r => Action(r) == "ModifyListener")));
    }

    /// <summary>AWS reports a plain forward with both TargetGroupArn and a one-group ForwardConfig; moto (a rule after ModifyRule) only with the ARN.</summary>
    [Fact]
    public async Task DescribeListenerActions_PlainTargetGroupArnForward_IsAOneGroupForwardOfWeightOne()
    {
        using var server = Serve(Listener($"<member><Type>forward</Type><TargetGroupArn>{FixtureBlue}</TargetGroupArn></member>"));

        var actions = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeListenerActionsAsync(FixtureListener, CancellationToken.None);

        var forward = Assert.Single(actions).Forward!;
        Assert.Equal([new TargetGroupWeight(FixtureBlue, 1)], forward.TargetGroups);
        Assert.False(forward.StickinessEnabled);
    }

    [Theory]
    [InlineData("authenticate-oidc", null, "has no configuration")]
    [InlineData("redirect", "{\"FixedResponseConfig\":{\"StatusCode\":\"503\"}}", "without its redirect settings")]
    [InlineData("add-header", "{}", "'add-header'")]
    public async Task ModifyListenerActions_ActionItCannotSendBackWhole_ThrowsNamingItAndSendsNothing(string type, string? configuration, string message)
    {
        using var server = Serve(Listener(string.Empty));
        var adapter = new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2());
        ListenerAction[] actions = [new(type, 1, Configuration: configuration), new("forward", 2, new ForwardAction([new(FixtureBlue, 1)]))];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => adapter.ModifyListenerActionsAsync(FixtureListener, actions, CancellationToken.None));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(FixtureListener, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ModifyListenerActions_NoActions_ThrowsAndSendsNothing()
    {
        using var server = Serve(Listener(string.Empty));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).ModifyListenerActionsAsync(FixtureListener, [], CancellationToken.None));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task DescribeRules_TwoRecordedPages_FollowsTheMarkerAndListsTheDefaultRuleLast()
    {
        var page1 = Response("DescribeRules.page1.xml");
        var marker = System.Xml.Linq.XDocument.Parse(page1).Descendants().Single(e => e.Name.LocalName == "NextMarker").Value;
        using var server = new LoopbackServer(r => CannedResponse.Xml(HttpUtility.ParseQueryString(r.Body)["Marker"] == marker ? Response("DescribeRules.page2.xml") : page1));

        var rules = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeRulesAsync(FixtureListener, CancellationToken.None);

        Assert.Equal([null, marker], server.Requests.Select(r => HttpUtility.ParseQueryString(r.Body)["Marker"]));
        Assert.Equal([("10", false), ("default", true)], rules.Select(r => (r.Priority, r.IsDefault)));
        var forward = Assert.Single(rules[0].Actions).Forward!;
        Assert.Equal([1], forward.TargetGroups.Select(g => g.Weight));
        Assert.Matches("/web-blue/[0-9a-f]{16}$", forward.TargetGroups[0].TargetGroupArn);
        Assert.Contains("/api/*", rules[0].Conditions, StringComparison.Ordinal);
        Assert.Contains("X-Canary", rules[0].Conditions, StringComparison.Ordinal);
        Assert.Equal(["authenticate-oidc", "forward"], rules[1].Actions.Select(a => a.Type));
        Assert.Null(rules[1].Conditions);
    }

    [Fact]
    public async Task ModifyRuleActions_WeightedForward_SendsActionsOnlyAsTheOfficialSdkDoes()
    {
        using var server = Serve(Listener(string.Empty));

        await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).ModifyRuleActionsAsync(
            FixtureRule, [new("forward", 1, new ForwardAction([new(FixtureBlue, 0), new(FixtureGreen, 100)]))], CancellationToken.None);

        var sent = Form(Assert.Single(server.Requests));
        AssertSameParameters(WireParameters("ModifyRule"), sent);
        Assert.DoesNotContain(sent.Keys, k => k.StartsWith("Conditions", StringComparison.Ordinal) || k.StartsWith("Transforms", StringComparison.Ordinal));
    }

    private static string RecordedListenerArn() =>
        System.Xml.Linq.XDocument.Parse(Response("DescribeListeners.AuthenticateOidc.xml")).Descendants().First(e => e.Name.LocalName == "ListenerArn").Value;

    private static string Listener(string actions) =>
        "<DescribeListenersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><DescribeListenersResult><Listeners><member>" +
        $"<ListenerArn>{FixtureListener}</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol><DefaultActions>{actions}</DefaultActions>" +
        "</member></Listeners></DescribeListenersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeListenersResponse>";
}
