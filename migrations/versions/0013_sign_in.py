"""Sign-in a kommun's IT will accept: sessions, two-step verification, single sign-on, throttle.

Adds user_sessions (one row per sign-in: absolute lifetime, "Mina inloggningar"),
recovery_codes and the TOTP columns on users, mfa_role_policies (admin's choice per role),
users.oidc_subject (linked OpenID Connect account), users.has_password and
password_expires_at (one-time passwords expire), login_attempts.user_id/reason/cleared_at
(per account-and-address delays, admin can lift them), security_events (refused requests,
CSRF failures, throttling) and audit_events.ip (the client address of each audit event).

Revision ID: 0013_sign_in
Revises: 0012_swedish_calendar
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_sign_in"
down_revision = "0012_swedish_calendar"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mfa_role_policies',
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_mfa_role_policies_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('role', name=op.f('pk_mfa_role_policies'))
    )
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('user_id', 'code_hash', name=op.f('uq_recovery_codes_user_id_code_hash'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('security_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index('ix_security_events_at', ['at'], unique=False)
        batch_op.create_index('ix_security_events_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_user_id'), ['user_id'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('id_token', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index('ix_user_sessions_user_ended', ['user_id', 'ended_at'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip', sa.String(length=64), nullable=True))

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.String(length=20), server_default='wrong', nullable=False))
        batch_op.add_column(sa.Column('cleared_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_login_attempts_at', ['at'], unique=False)
        batch_op.create_index('ix_login_attempts_email_ip_at', ['email', 'ip', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_login_attempts_user_id_users'), 'users', ['user_id'], ['id'], ondelete='SET NULL')

    # Plain ALTER TABLE ADD COLUMN, never a batch rebuild of `users`: every table references it,
    # and on SQLite a rebuild's DROP TABLE fails their foreign keys once there is data (SQLite
    # takes no parenthesised expression as an added column's default, hence the literal 1).
    true = sa.text('1') if op.get_bind().dialect.name == 'sqlite' else sa.true()
    op.add_column('users', sa.Column('has_password', sa.Boolean(), server_default=true, nullable=False))
    op.add_column('users', sa.Column('password_expires_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    # A unique index, not a constraint: on SQLite a constraint would rebuild `users`, which
    # every other table references.
    op.create_index('ix_users_oidc_subject', 'users', ['oidc_subject'], unique=True)


def downgrade():
    op.drop_index('ix_users_oidc_subject', table_name='users')
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch rebuild: every table references
    # `users`, and a rebuild's DROP TABLE fails their foreign keys.
    for column in ('totp_last_step', 'totp_enabled_at', 'totp_secret', 'oidc_subject', 'password_expires_at',
                   'has_password'):
        op.drop_column('users', column)

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_login_attempts_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_login_attempts_user_id'))
        batch_op.drop_index('ix_login_attempts_email_ip_at')
        batch_op.drop_index('ix_login_attempts_at')
        batch_op.drop_column('cleared_at')
        batch_op.drop_column('reason')
        batch_op.drop_column('user_id')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('ip')

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_user_sessions_user_ended')
        batch_op.drop_index(batch_op.f('ix_user_sessions_expires_at'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_events_user_id'))
        batch_op.drop_index('ix_security_events_kind_at')
        batch_op.drop_index('ix_security_events_at')

    op.drop_table('security_events')
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
    op.drop_table('mfa_role_policies')
