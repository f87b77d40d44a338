"""In moto with IAM on (INITIAL_NO_AUTH_ACTION_COUNT=3), what `pulumi up` makes in AWS for the Pi: a bastion instance,
stopped as in on-outage mode, and the Pi's IAM user with an access key. Run with moto's own venv (it has boto3).

  setup PORT          three free requests make an administrator (kept in /root/moto-admin.json); prints
                      {"instanceId", "accessKeyId", "secretAccessKey"} of the bastion and the Pi's new key
  state PORT ID       prints the instance's state, asked as the administrator

The Pi's user may Start/Stop/Describe on "*": moto 5.2.5 checks EC2 permissions only against "*" (see MotoServer).
"""
import json
import sys

import boto3

ADMIN = "/root/moto-admin.json"


def client(service, port, key_id, secret):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-central-1",
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def allow(actions):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})


def setup(port):
    bootstrap = client("iam", port, "bootstrap", "bootstrap")
    bootstrap.create_user(UserName="admin")
    bootstrap.put_user_policy(UserName="admin", PolicyName="everything", PolicyDocument=allow("*"))
    admin = bootstrap.create_access_key(UserName="admin")["AccessKey"]
    with open(ADMIN, "w") as f:
        json.dump({"id": admin["AccessKeyId"], "secret": admin["SecretAccessKey"]}, f)
    ec2 = client("ec2", port, admin["AccessKeyId"], admin["SecretAccessKey"])
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance])
    iam = client("iam", port, admin["AccessKeyId"], admin["SecretAccessKey"])
    iam.create_user(UserName="lifeline-test-supervisor", Path="/lifeline/")
    iam.put_user_policy(UserName="lifeline-test-supervisor", PolicyName="lifeline-test-supervisor-policy",
                        PolicyDocument=allow(["ec2:StartInstances", "ec2:StopInstances", "ec2:DescribeInstances"]))
    key = iam.create_access_key(UserName="lifeline-test-supervisor")["AccessKey"]
    print(json.dumps({"instanceId": instance, "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}))


def state(port, instance):
    with open(ADMIN) as f:
        admin = json.load(f)
    ec2 = client("ec2", port, admin["id"], admin["secret"])
    found = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    print(found["State"]["Name"])


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    elif sys.argv[1] == "state":
        state(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: setup PORT | state PORT INSTANCE_ID")
