using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// The rest of what a deployment touches: CloudWatch alarms, the CodeBuild/Packer baker, the DynamoDB lock table and
// ledger, SNS and the SSM topology parameter.
public sealed partial class SimulatedRegion
{
    private readonly Dictionary<string, AlarmDescription> _alarms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimBake> _bakes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentLockRecord> _locks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Application, string DeploymentId), DeploymentRecord> _ledger = [];
    private readonly List<PublishedMessage> _published = [];
    /// <summary>Bake project name -> its source type (GITHUB as the Phoenix stacks make it; S3 as older stacks did).</summary>
    private readonly Dictionary<string, string> _bakeProjects = new(StringComparer.Ordinal);

    public IReadOnlyList<PublishedMessage> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Sets an alarm's state, as CloudWatch would when its metric crosses the threshold.</summary>
    public void SetAlarmState(string alarmName, string state, string reason)
    {
        lock (_gate)
        {
            if (!_alarms.ContainsKey(alarmName))
            {
                throw new ArgumentException($"No alarm named '{alarmName}'.", nameof(alarmName));
            }

            _alarms[alarmName] = new AlarmDescription(alarmName, state, reason, Now);
            Changed("Alarm", alarmName, $"{state}: {reason}");
        }
    }

    /// <summary>The lock item as a GetItem returns it: expired or not, until DynamoDB's TTL deletes it (hours or days later, if ever).</summary>
    public DeploymentLockRecord? PeekLock(string application)
    {
        lock (_gate)
        {
            return _locks.GetValueOrDefault(application);
        }
    }

    public IReadOnlyList<DeploymentRecord> LedgerEntries(string application)
    {
        lock (_gate)
        {
            return [.. _ledger.Values.Where(r => r.Application == application).OrderByDescending(r => r.StartedAt)];
        }
    }

    /// <summary>Writes a lock record as a dead execution would have left it (no condition, no faults).</summary>
    public void PutLock(DeploymentLockRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _locks[record.Application] = record;
            Changed("Lock", record.Application, $"held by {record.Owner} until {record.ExpiresAt:O} (arranged)");
        }
    }

    /// <summary>Writes a ledger entry as a dead execution would have left it (no condition, no faults).</summary>
    public void PutLedgerEntry(DeploymentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _ledger[(record.Application, record.DeploymentId)] = record;
            Changed("Ledger", record.Application, $"{record.DeploymentId} {record.Result} (arranged)");
        }
    }

    internal IReadOnlyList<AlarmDescription> DescribeAlarms(IReadOnlyList<string> names)
    {
        lock (_gate)
        {
            // DescribeAlarms silently omits names that do not exist, as CloudWatch does.
            return [.. names.Where(_alarms.ContainsKey).Select(n => _alarms[n])];
        }
    }

    internal string StartBake(BakeRequest request)
    {
        lock (_gate)
        {
            if (!_bakeProjects.TryGetValue(request.ProjectName, out var sourceType))
            {
                throw new SimulatedServiceException("ResourceNotFoundException", $"Project cannot be found: {request.ProjectName}");
            }

            // As CodeBuild does: an S3 source reads the source version as its object's version id, which a commit is not.
            if (sourceType == "S3" && request.Commit is not null)
            {
                throw new SimulatedServiceException("InvalidInputException", $"Invalid source version: {request.Commit} is not a version of the project's S3 source object");
            }

            if (_bakes.Values.FirstOrDefault(b => b.Request.IdempotencyToken == request.IdempotencyToken) is { } existing)
            {
                return existing.BakeId;
            }

            var bake = new SimBake($"{request.ProjectName}:{Guid.CreateVersion7(Now):D}", request, Now, Now + Timings.Bake);
            _bakes.Add(bake.BakeId, bake);
            Changed("Bake", bake.BakeId, $"started for {request.Application} at {request.Commit ?? "HEAD"}");
            At(bake.FinishesAt, () =>
            {
                if (Faults.BakeFailureReason is { } reason)
                {
                    bake.State = BakeState.Failed;
                    bake.Reason = reason;
                    Changed("Bake", bake.BakeId, $"failed: {reason}");
                    return;
                }

                var imageId = $"ami-{NextHex(17)}";
                AddImage(imageId, $"{request.Application}-{request.Commit ?? "build"}", healthy: !Faults.BakedImagesUnhealthy, boot: null);
                bake.State = BakeState.Succeeded;
                bake.ImageId = imageId;
                Changed("Bake", bake.BakeId, $"succeeded: {imageId}");
            });
            return bake.BakeId;
        }
    }

    internal string? BakeSourceType(string projectName)
    {
        lock (_gate)
        {
            return _bakeProjects.GetValueOrDefault(projectName);
        }
    }

    internal BakeStatus GetBake(string bakeId)
    {
        lock (_gate)
        {
            return _bakes.TryGetValue(bakeId, out var bake)
                ? new BakeStatus(bake.BakeId, bake.State, bake.ImageId, bake.Reason)
                : throw new SimulatedServiceException("InvalidInputException", $"Build not found: {bakeId}");
        }
    }

    internal LockAttempt TryAcquireLock(string application, string owner, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            // The DynamoDB condition: attribute_not_exists(pk) OR expiresAt < :now OR owner = :owner.
            if (_locks.TryGetValue(application, out var held) && held.ExpiresAt > Now && held.Owner != owner)
            {
                return new LockAttempt(false, held);
            }

            var record = held is not null && held.Owner == owner
                ? held with { ExpiresAt = expiresAt }
                : new DeploymentLockRecord(application, owner, Now, expiresAt);
            _locks[application] = record;
            Changed("Lock", application, $"held by {owner} until {expiresAt:O}");
            return new LockAttempt(true, record);
        }
    }

    internal bool ReleaseLock(string application, string owner)
    {
        lock (_gate)
        {
            if (!_locks.TryGetValue(application, out var held) || held.Owner != owner)
            {
                return false;
            }

            _locks.Remove(application);
            Changed("Lock", application, $"released by {owner}");
            return true;
        }
    }

    internal void PutLedger(DeploymentRecord record)
    {
        lock (_gate)
        {
            _ledger[(record.Application, record.DeploymentId)] = record;
            Changed("Ledger", record.Application, $"{record.DeploymentId} {record.Result}");
        }
    }

    internal DeploymentRecord? GetLedger(string application, string deploymentId)
    {
        lock (_gate)
        {
            return _ledger.GetValueOrDefault((application, deploymentId));
        }
    }

    internal void Publish(string topicArn, IReadOnlyList<OutgoingMessage> messages)
    {
        lock (_gate)
        {
            if (!topicArn.StartsWith($"arn:aws:sns:{RegionName}:", StringComparison.Ordinal))
            {
                throw new SimulatedServiceException("NotFound", $"Topic does not exist: {topicArn}");
            }

            if (messages.Count is 0 or > 10)
            {
                throw new SimulatedServiceException("TooManyEntriesInBatchRequest", $"A batch holds 1 to 10 messages, not {messages.Count}.");
            }

            if (messages.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count() != messages.Count)
            {
                throw new SimulatedServiceException("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
            }

            if (messages.FirstOrDefault(m => m.Subject is { Length: > 100 }) is { } longSubject)
            {
                throw new SimulatedServiceException("InvalidParameter", $"Subject of message '{longSubject.Id}' is longer than 100 characters.");
            }

            foreach (var message in messages)
            {
                _published.Add(new PublishedMessage(Now, topicArn, message.Id, message.Subject, message.Message));
                Changed("Notification", topicArn, message.Subject ?? message.Id);
            }
        }
    }

    internal FleetTopology? GetTopology(string application)
    {
        lock (_gate)
        {
            return _topologies.GetValueOrDefault(application);
        }
    }

    /// <summary>The image parameter of one colour, as the fleet stack and Finalize write it.</summary>
    public string? GetColourImage(string application, Colour colour)
    {
        lock (_gate)
        {
            return _colourImages.GetValueOrDefault((application, colour));
        }
    }

    /// <summary>A parameter write: it changes no fleet, so it is no region change (no snapshot, no observer call).</summary>
    internal bool PutColourImage(string application, Colour colour, string imageId)
    {
        lock (_gate)
        {
            if (_colourImages.GetValueOrDefault((application, colour)) == imageId)
            {
                return false;
            }

            _colourImages[(application, colour)] = imageId;
            return true;
        }
    }
}
