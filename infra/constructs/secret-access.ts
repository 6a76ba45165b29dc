import { ArnFormat, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";

/** ARN of a secret by name, matching the 6-character suffix Secrets Manager appends. */
export const secretArnByName = (scope: Construct, name: string): string =>
  Stack.of(scope).formatArn({ service: "secretsmanager", resource: "secret", resourceName: `${name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/**
 * Lets a role decrypt its own secrets when they are encrypted with customer-managed KMS keys
 * (the deploy config's `secretsKmsKeyArns`): GetSecretValue on such a secret also needs
 * `kms:Decrypt` on its key (docs/reference/aws-deploy.md section 3). The grant holds only through
 * Secrets Manager of the stack's Region (`kms:ViaService`) and only for the role's own secrets
 * (Secrets Manager puts the secret's ARN in the encryption context), so the role cannot use the
 * keys for anything else. No statement at all when no key is configured (the AWS-managed
 * `aws/secretsmanager` key needs none).
 */
export const grantSecretsKeyDecrypt = (scope: Construct, role: iam.IRole, secretNames: readonly string[], keyArns: readonly string[]): void => {
  if (keyArns.length === 0 || secretNames.length === 0) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "DecryptOwnSecrets",
      actions: ["kms:Decrypt"],
      resources: [...keyArns],
      conditions: {
        StringEquals: { "kms:ViaService": `secretsmanager.${Stack.of(scope).region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:SecretARN": secretNames.map((name) => secretArnByName(scope, name)) },
      },
    }),
  );
};
